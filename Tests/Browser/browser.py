"""What the browser checks share: selenium from Debian (re-running under /usr/bin/python3 when another python3
has none), headless chromium with chromium-driver, and a screenshot of the page when a check failed."""

import os
import sys

try:
    from selenium import webdriver
except ImportError:
    # Debian's python3-selenium lives in the system interpreter; re-run there when another python3
    # (a pyenv or a virtualenv first on PATH) has no selenium.
    system_python = "/usr/bin/python3"
    if os.path.exists(system_python) and os.path.realpath(sys.executable) != os.path.realpath(system_python):
        os.execv(system_python, [system_python] + sys.argv)
    print("FAIL: the Python module selenium is missing (Debian: apt-get install python3-selenium)", file=sys.stderr)
    sys.exit(2)

from selenium.common.exceptions import WebDriverException

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class CheckFailed(Exception):
    pass


def start_chromium(width, height, lang):
    """A fresh headless chromium at width x height, in `lang`, through chromium-driver."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--force-device-scale-factor=1",
                     "--hide-scrollbars", f"--lang={lang}"):
        options.add_argument(argument)
    service_class = getattr(webdriver, "ChromeService", None)
    if service_class is None:  # selenium older than 4.10 (Debian 12 has 4.8)
        from selenium.webdriver.chrome.service import Service as service_class
    driver = webdriver.Chrome(service=service_class(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


def save_failure(driver, path):
    """Saves the page as it was when a check failed, and says where."""
    try:
        driver.save_screenshot(path)
        print(f"(screenshot of the failure: {path}; page {driver.current_url})", file=sys.stderr)
    except WebDriverException:
        pass
