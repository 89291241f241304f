# The two commands a newcomer needs (see README.md):
#   make run   installs what is missing, builds, and starts the service (no server needed)
#   make test  the same set-up plus the test mail servers (Dovecot, Postfix on 127.0.0.1), then every test
.PHONY: run chat test setup build mail-servers test-tools

setup:
	scripts/setup

build: setup
	swift build

run: setup
	swift run gcr-intake serve

chat: setup
	swift run gcr-intake chat

mail-servers:
	scripts/mail-servers start

test-tools:
	scripts/test-tools

test: setup mail-servers test-tools
	swift build --build-tests
	scripts/test-suite
