# The two commands a newcomer needs (see README.md):
#   make run   installs what is missing, builds, and starts a terminal conversation
#   make test  the same set-up, then every test
.PHONY: run test setup build

setup:
	scripts/setup

build: setup
	swift build

run: setup
	swift run gcr-intake chat

test: setup
	swift build --build-tests
	swift test --disable-swift-testing
