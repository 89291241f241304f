#!/usr/bin/env python3
"""Checks the pledge dashboard in a real browser (Debian's chromium, headless, driven by selenium).

Usage: dashboard_check.py BASE_URL EXPECTED_JSON SCREENSHOT_DIR

BASE_URL       the running service, e.g. http://127.0.0.1:8123 (no trailing slash needed)
EXPECTED_JSON  written by the Swift test:
               {"totals": {"pledges": "12", "updates": "30", "practices": "3", "joint": "2", "stale": "4"},
                "stage": {"Planned": 3, "In progress": 5, ...},   (English labels -> counts)
                "pledge": {"id": "GRF-00001", "title": "...", "stage": "In progress"}}
SCREENSHOT_DIR where the PNG screenshots go (created if missing).

For English at 1280x900, English at 390x844 and Arabic at 390x844 it opens /dashboard?lang=XX and checks
the page's lang and dir, the five totals, the stage table (English only), that Tab from the page's start
reaches the skip link first, that nothing is wider than the window, then follows the expected pledge's link
and checks its page. Finally it checks that an unknown pledge gives a page with an <h1> in Arabic.
Prints one line per check; stops at the first failure with a message and exit status 1.
Needs only selenium 4 (Debian's python3-selenium) plus chromium and chromium-driver.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

from browser import CHROMEDRIVER, CHROMIUM, CheckFailed, save_failure, start_chromium
from selenium import webdriver

from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

TOTALS = ["pledges", "updates", "practices", "joint", "stale"]
RUNS = [("en", 1280, 900), ("en", 390, 844), ("ar", 390, 844)]
PHONE_MAX_WIDTH = 600



class Checker:
    def __init__(self, base, expected, shots):
        self.base = base.rstrip("/")
        self.expected = expected
        self.shots = shots
        self.driver = None
        self.count = 0
        # Extra pixels the window needs around the page (browser frame), measured once.
        self.frame_w = 0
        self.frame_h = 0
        # True when the window cannot be made small or large enough and the viewport is emulated instead.
        self.emulated = False
        # Set until run() completes, so the final clean-up knows whether to save failure.png.
        self.failed = True

    # ----- reporting

    def ok(self, message):
        self.count += 1
        print(f"ok {self.count}: {message}", flush=True)

    def check(self, condition, message, detail=""):
        if not condition:
            raise CheckFailed(f"{message}{': ' + detail if detail else ''}")
        self.ok(message)

    # ----- browser

    def start(self):
        self.driver = start_chromium(1280, 900, "en-US")
        self.ok(f"started {CHROMIUM} headless with {CHROMEDRIVER}")

    def failure_screenshot_and_stop(self):
        """Always called at the end: after a failure, saves failure.png of the page as it was; then quits."""
        if self.driver is None:
            return
        if self.failed:
            save_failure(self.driver, os.path.join(self.shots, "failure.png"))
        try:
            self.driver.quit()
        except WebDriverException:
            pass

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def inner_size(self):
        return self.js("return [window.innerWidth, window.innerHeight];")

    def set_viewport(self, width, height):
        """Makes the page's viewport width x height CSS pixels."""
        if self.emulated:
            self.emulate(width, height)
            return
        self.driver.set_window_size(width + self.frame_w, height + self.frame_h)
        inner_w, inner_h = self.inner_size()
        if inner_w != width or inner_h != height:
            # The window has a frame: measure it once and size again.
            self.frame_w += width - inner_w
            self.frame_h += height - inner_h
            self.driver.set_window_size(width + self.frame_w, height + self.frame_h)
            inner_w, inner_h = self.inner_size()
        if inner_w != width:
            # The window will not go that small (or large): emulate the viewport instead.
            self.emulated = True
            self.emulate(width, height)

    def emulate(self, width, height):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def open(self, path):
        url = self.base + path
        self.driver.get(url)
        WebDriverWait(self.driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
        return url

    def full_page_screenshot(self, name, width, height):
        path = os.path.join(self.shots, name)
        # No focus ring (the skip link after the keyboard check) in the pictures.
        self.js("window.scrollTo(0, 0); if (document.activeElement) document.activeElement.blur();")
        page_h = int(self.js("return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0);"))
        tall = max(height, page_h)
        self.set_viewport(width, tall)
        time.sleep(0.2)
        if self.inner_size()[1] < tall and not self.emulated:
            # The window could not grow that tall: emulate the tall viewport just for the screenshot.
            self.emulate(width, tall)
            time.sleep(0.2)
            saved = self.driver.save_screenshot(path)
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        else:
            saved = self.driver.save_screenshot(path)
        self.set_viewport(width, height)
        self.check(saved and os.path.getsize(path) > 0, f"saved screenshot {path} ({width}x{tall})")

    # ----- checks

    def check_lang_dir(self, lang, where):
        html = self.driver.find_element(By.TAG_NAME, "html")
        got_lang = html.get_attribute("lang") or ""
        got_dir = (html.get_attribute("dir") or "").lower()
        want_dir = "rtl" if lang == "ar" else "ltr"
        self.check(got_lang == lang, f"{where}: <html lang> is {lang}", f"found {got_lang!r}")
        self.check(got_dir == want_dir, f"{where}: <html dir> is {want_dir}", f"found {got_dir!r}")

    def check_no_overflow(self, where, width):
        scroll_w, inner_w = self.js("return [document.documentElement.scrollWidth, window.innerWidth];")
        widest = ""
        if scroll_w > inner_w + 1:
            widest = self.js("""
                var worst = null, right = window.innerWidth;
                document.querySelectorAll('body *').forEach(function (e) {
                    var r = e.getBoundingClientRect();
                    var edge = Math.max(r.right, window.innerWidth - r.left);
                    if (edge > right) { right = edge; worst = e; }
                });
                if (!worst) return '';
                return '<' + worst.tagName.toLowerCase() + (worst.id ? ' id=' + worst.id : '') +
                       (worst.className && worst.className.baseVal === undefined ? ' class=' + worst.className : '') + '>';
            """)
        self.check(scroll_w <= inner_w + 1,
                   f"{where}: nothing is wider than the {width}px window",
                   f"page is {scroll_w}px wide for a {inner_w}px window; widest element {widest}")

    def check_skip_link_first(self, where):
        # Start from the top of the page with nothing focused, then press Tab once.
        self.js("window.scrollTo(0, 0); if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();")
        ActionChains(self.driver).send_keys(Keys.TAB).perform()
        info = self.js("""
            var e = document.activeElement;
            if (!e) return null;
            var r = e.getBoundingClientRect();
            return {tag: e.tagName.toLowerCase(), cls: e.getAttribute('class') || '', href: e.getAttribute('href') || '',
                    text: (e.textContent || '').trim(), top: r.top, bottom: r.bottom, left: r.left, right: r.right,
                    target: !!document.getElementById('main')};
        """)
        is_skip = bool(info) and info["tag"] == "a" and "skip" in info["cls"].split() and info["href"] == "#main"
        self.check(is_skip, f"{where}: Tab from the page's start focuses the skip link",
                   f"focused {info!r}")
        self.check(info["target"], f"{where}: the skip link's target #main exists")
        visible = info["bottom"] > 0 and info["top"] >= 0 and info["right"] > 0 and info["left"] < self.inner_size()[0]
        self.check(visible and info["text"] != "", f"{where}: the focused skip link is visible and has text",
                   f"{info!r}")

    def check_totals(self, where):
        totals = self.expected.get("totals", {})
        for key in TOTALS:
            if key not in totals:
                continue
            elements = self.driver.find_elements(By.ID, f"total-{key}")
            self.check(len(elements) == 1, f"{where}: #total-{key} is on the page")
            got = elements[0].text.strip()
            want = str(totals[key]).strip()
            self.check(got == want, f"{where}: #total-{key} is {want}", f"found {got!r}")

    def check_stage_table(self, where):
        expected = self.expected.get("stage")
        if not expected:
            return
        tables = self.driver.find_elements(By.ID, "table-stage")
        self.check(len(tables) == 1, f"{where}: #table-stage is on the page")
        rows = {}
        for row in tables[0].find_elements(By.CSS_SELECTOR, "tbody tr"):
            cells = row.find_elements(By.CSS_SELECTOR, "th, td")
            if len(cells) < 2:
                continue
            label = cells[0].get_attribute("textContent").strip()
            count = cells[1].get_attribute("textContent").strip()
            rows[label] = count
        for label, count in expected.items():
            self.check(label in rows, f"{where}: #table-stage has a row {label!r}", f"rows are {rows!r}")
            digits = "".join(c for c in rows[label] if c.isdigit())
            self.check(digits == str(int(count)), f"{where}: #table-stage {label!r} is {count}",
                       f"found {rows[label]!r}")
        extra = {label: value for label, value in rows.items()
                 if label not in expected and "".join(c for c in value if c.isdigit()).lstrip("0") != ""}
        self.check(not extra, f"{where}: #table-stage has no other stage with pledges", f"extra rows {extra!r}")

    def follow_pledge(self, lang, where):
        pledge = self.expected["pledge"]
        title = pledge["title"].strip()
        link = None
        for candidate in self.driver.find_elements(By.CSS_SELECTOR, "a.pledge-link"):
            if candidate.get_attribute("textContent").strip() == title:
                link = candidate
                break
        if link is not None:
            href = link.get_attribute("href")
            self.js("arguments[0].scrollIntoView({block: 'center'});", link)
            try:
                link.click()
            except WebDriverException:
                self.driver.get(href)
            self.ok(f"{where}: followed the link of {title!r} ({href})")
        else:
            url = self.open(f"/dashboard/pledges/{pledge['id']}?lang={lang}")
            self.ok(f"{where}: {title!r} is not linked from the dashboard; opened {url}")
        try:
            WebDriverWait(self.driver, 30).until(EC.presence_of_element_located((By.ID, "pledge-title")))
        except TimeoutException:
            raise CheckFailed(f"{where}: the pledge page has no #pledge-title (at {self.driver.current_url})")

    def check_pledge_page(self, lang, where):
        pledge = self.expected["pledge"]
        self.check_lang_dir(lang, where)
        got = self.driver.find_element(By.ID, "pledge-title").text.strip()
        self.check(got == pledge["title"].strip(), f"{where}: #pledge-title is {pledge['title']!r}", f"found {got!r}")
        if lang == "en" and "stage" in pledge:
            stages = self.driver.find_elements(By.ID, "pledge-stage")
            self.check(len(stages) == 1, f"{where}: #pledge-stage is on the page")
            got = stages[0].text.strip()
            self.check(got == pledge["stage"], f"{where}: #pledge-stage is {pledge['stage']!r}", f"found {got!r}")

    def check_service_answers(self):
        """Before starting the browser: the service answers /dashboard with 200 (the browser would show its own error page)."""
        url = f"{self.base}/dashboard?lang=en"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, OSError) as error:
            raise CheckFailed(f"the service does not answer at {url}: {error}")
        self.check(status == 200, f"{url} answers 200", f"it answers {status}")

    def run(self):
        os.makedirs(self.shots, exist_ok=True)
        self.check_service_answers()
        self.start()
        for lang, width, height in RUNS:
            size = f"{width}x{height}"
            where = f"dashboard {lang} {size}"
            self.set_viewport(width, height)
            url = self.open(f"/dashboard?lang={lang}")
            self.ok(f"{where}: opened {url}")
            self.check_lang_dir(lang, where)
            self.check_totals(where)
            if lang == "en":
                self.check_stage_table(where)
            self.check_skip_link_first(where)
            if width <= PHONE_MAX_WIDTH:
                self.check_no_overflow(where, width)
            self.full_page_screenshot(f"dashboard-{lang}-{size}.png", width, height)

            where = f"pledge {lang} {size}"
            self.follow_pledge(lang, where)
            self.check_pledge_page(lang, where)
            if width <= PHONE_MAX_WIDTH:
                self.check_no_overflow(where, width)
            self.full_page_screenshot(f"pledge-{lang}-{size}.png", width, height)

        where = "unknown pledge ar"
        self.set_viewport(390, 844)
        url = self.open("/dashboard/pledges/NO-SUCH-ID?lang=ar")
        self.ok(f"{where}: opened {url}")
        headings = self.driver.find_elements(By.TAG_NAME, "h1")
        self.check(len(headings) >= 1 and headings[0].text.strip() != "", f"{where}: the page has an <h1> with text")
        self.check_lang_dir("ar", where)
        print(f"all {self.count} checks passed", flush=True)
        self.failed = False


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    base, expected_path, shots = argv[1], argv[2], argv[3]
    try:
        with open(expected_path, encoding="utf-8") as handle:
            expected = json.load(handle)
    except (OSError, ValueError) as error:
        print(f"FAIL: cannot read {expected_path}: {error}", file=sys.stderr)
        return 2
    for key in ("totals", "pledge"):
        if key not in expected:
            print(f"FAIL: {expected_path} has no {key!r}", file=sys.stderr)
            return 2
    checker = Checker(base, expected, shots)
    try:
        checker.run()
        return 0
    except CheckFailed as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
    except WebDriverException as error:
        print(f"FAIL: the browser stopped: {error.msg or error}", file=sys.stderr)
    except (KeyError, TypeError, ValueError) as error:
        print(f"FAIL: unexpected content in {expected_path}: {error!r}", file=sys.stderr)
    finally:
        checker.failure_screenshot_and_stop()
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
