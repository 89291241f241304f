#!/usr/bin/env python3
"""Checks the web chat (/chat) in a real browser (Debian's chromium, headless, driven by selenium).

Usage: webchat_check.py BASE_URL SCREENSHOT_DIR

BASE_URL       the running service, e.g. http://127.0.0.1:8123 (no trailing slash needed)
SCREENSHOT_DIR where the PNG screenshots go (created if missing).

Two conversations, each in a fresh browser (fresh cookies):
  en, 1280x900: a pledge, typing and clicking choice buttons, then "ok"; then a reload shows the history again.
  ar, 390x844:  a good practice in Arabic words only; nothing wider than the window; Tab from the box reaches Send.
Each answer is chosen from the newest bot message: "Question N of M" gets answer N of the form's list (N is stable:
the engine counts every question the channel may ask), the summary gets "ok". A message refused for the moment
(429 or an outage) is sent again with its retry button. Prints one line per check and "REFERENCE LANG REF" for each
submission; stops at the first failure with "FAIL: ...", the last 3 bot messages and exit status 1.
Needs only selenium 4 (Debian's python3-selenium) plus chromium and chromium-driver.
"""

import json
import os
import re
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
from selenium.webdriver.support.ui import WebDriverWait

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STEP_SECONDS = 20
MIN_TAP = 44

# Answers by question number. A tuple is ("click", the choice's label, what to type if there is no such button).
PLEDGE_EN = {
    1: "Jobs for refugee youth in Chad",
    2: "Acme Solar Ltd",
    3: ("click", "Private sector", "8"),
    4: ("click", "No", "no"),
    5: "skip",  # co-sponsors: asked only for a joint pledge
    6: "We will hire and train 200 young refugees and host community members as solar technicians.\n"
       "Over three years, in Chad.",
    7: "1,2",
    8: ("click", "Education", "2"),
    9: "1",
    10: "250000",
    11: "Chad",
    12: "2",
    13: ("click", "Planned", "1"),
    14: "skip",
    15: ("click", "Yes", "yes"),
}
# The words-only good practice of Tests/ServeEndToEndTests/ArabicWhatsAppTests.swift.
PRACTICE_AR = {
    1: "دروس خياطة للنساء في مخيم الزعتري",
    2: "أمينة",
    3: "لاجئة",
    4: "تخطي",
    5: "الأردن",
    6: "الشرق الاوسط",
    7: "اعتماد اللاجئين على انفسهم",
    8: "التعليم، سبل العيش",
    9: "علمنا ٤٠ امرأة لاجئة الخياطة في المخيم وصار عندهن دخل من بيع الملابس للجيران",
    10: "النساء اللاجئات هن المدربات",
    11: "تخطي",
    12: "لا يوجد",
    13: "٢٠٢١",
    14: "مستمر",
    15: "٤٠ امرأة تعلمت الخياطة و٢٥ منهن يعملن الآن",
    16: "تخطي",
    17: "ما عندي ايميل",
    18: "نعم",
}

# The texts that tell where the conversation is; read from prompts/LANG/messages.yaml when it is there.
FALLBACK_TEXTS = {
    "en": {"question_number": "Question {number} of {total}", "summary_header": "Please check your answers:",
           "consent_question": "Do you agree? Reply yes or no."},
    "ar": {"question_number": "السؤال {number} من {total}", "summary_header": "يرجى مراجعة إجاباتك:",
           "consent_question": "هل توافق/ين؟ اكتب/ي نعم أو لا."},
}


def prompt_texts(lang):
    texts = dict(FALLBACK_TEXTS[lang])
    try:
        with open(os.path.join(REPO, "prompts", lang, "messages.yaml"), encoding="utf-8") as handle:
            for line in handle:
                match = re.match(r'^(\w+): "(.*)"\s*$', line)
                if match and match.group(1) in texts:
                    texts[match.group(1)] = match.group(2).replace('\\"', '"')
    except OSError:
        pass
    return texts


def reference_pattern(form, fallback):
    """GCR-PL-\\d+ for pledges: the prefix is the form's reference_prefix."""
    prefix = fallback
    try:
        with open(os.path.join(REPO, "prompts", "forms", form + ".yaml"), encoding="utf-8") as handle:
            match = re.search(r"^reference_prefix:\s*(\S+)", handle.read(), re.MULTILINE)
            prefix = match.group(1) if match else fallback
    except OSError:
        pass
    return re.compile(re.escape(prefix) + r"-\d+")



class Conversation:
    """One scenario in one fresh browser."""

    def __init__(self, checker, lang, width, height, name):
        self.checker = checker
        self.lang = lang
        self.width = width
        self.height = height
        self.name = name
        self.driver = None
        self.emulated = False
        self.frame_w = 0
        self.frame_h = 0
        self.clicks = 0
        self.clicked = []  # labels of the option buttons clicked
        self.check_taps = False  # check the size of the option buttons the first time there are some
        texts = prompt_texts(lang)
        question = re.escape(texts["question_number"])
        for placeholder in ("number", "total"):
            question = question.replace(re.escape("{" + placeholder + "}"), r"(\d+)")
        self.question_re = re.compile(question)
        self.summary_header = texts["summary_header"]
        self.consent = texts["consent_question"].split("?")[0].split("؟")[0]

    # ----- browser

    def start(self):
        self.driver = start_chromium(self.width, self.height, self.lang)
        self.set_viewport(self.width, self.height)
        self.ok(f"started a fresh {CHROMIUM} headless at {self.width}x{self.height}")

    def stop(self, failed):
        if self.driver is None:
            return
        if failed:
            save_failure(self.driver, os.path.join(self.checker.shots, f"failure-{self.name}.png"))
        try:
            self.driver.quit()
        except WebDriverException:
            pass
        self.driver = None

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def set_viewport(self, width, height):
        """Makes the page's viewport width x height CSS pixels (emulated when the window will not go that small)."""
        if not self.emulated:
            self.driver.set_window_size(width + self.frame_w, height + self.frame_h)
            inner_w, inner_h = self.js("return [window.innerWidth, window.innerHeight];")
            if inner_w != width or inner_h != height:
                self.frame_w += width - inner_w
                self.frame_h += height - inner_h
                self.driver.set_window_size(width + self.frame_w, height + self.frame_h)
                inner_w, inner_h = self.js("return [window.innerWidth, window.innerHeight];")
            if inner_w == width:
                return
            self.emulated = True
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})

    def open(self):
        url = f"{self.checker.base}/chat?lang={self.lang}"
        self.driver.get(url)
        WebDriverWait(self.driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
        self.ok(f"opened {url}")
        return url

    def at_bottom(self):
        return self.js("var l = document.getElementById('chat-log'); return l.scrollTop + l.clientHeight >= l.scrollHeight - 2;")

    def wait_scrolled_to_bottom(self):
        """The log scrolls (maybe smoothly) to its end after a new message."""
        try:
            WebDriverWait(self.driver, 5).until(lambda d: self.at_bottom())
            return True
        except TimeoutException:
            return False

    def screenshot(self, name):
        self.wait_scrolled_to_bottom()
        path = os.path.join(self.checker.shots, name)
        self.check(self.driver.save_screenshot(path) and os.path.getsize(path) > 0, f"saved screenshot {path}")

    # ----- reporting

    def ok(self, message):
        self.checker.ok(f"{self.name}: {message}")

    def check(self, condition, message, detail=""):
        if not condition:
            raise CheckFailed(f"{self.name}: {message}{': ' + detail if detail else ''}")
        self.ok(message)

    def last_bot_texts(self, count=3):
        try:
            return self.js("""
                return Array.from(document.querySelectorAll('#chat-log .msg.bot')).slice(-arguments[0])
                    .map(function (m) { var t = m.querySelector('.text'); return (t || m).textContent; });
            """, count) or []
        except WebDriverException:
            return []

    # ----- reading the log

    def bot_count(self):
        return len(self.driver.find_elements(By.CSS_SELECTOR, "#chat-log .msg.bot"))

    def me_count(self):
        return len(self.driver.find_elements(By.CSS_SELECTOR, "#chat-log .msg.me"))

    def bot_texts_since(self, start):
        return self.js("""
            return Array.from(document.querySelectorAll('#chat-log .msg.bot')).slice(arguments[0])
                .map(function (m) { var t = m.querySelector('.text'); return t ? t.textContent : ''; });
        """, start)

    def last_me_text(self):
        return self.js("""
            var all = document.querySelectorAll('#chat-log .msg.me .text');
            return all.length ? all[all.length - 1].textContent : null;
        """)

    def classify(self, texts, reference_re):
        """What the newest bot message asks: ("done", ref), ("summary",), ("question", n), ("privacy",), ("menu",)."""
        for text in texts:
            found = reference_re.search(text)
            if found:
                return ("done", found.group(0))
        if not texts:
            return None
        latest = texts[-1]
        if self.summary_header in latest:
            return ("summary",)
        found = self.question_re.search(latest)
        if found:
            return ("question", int(found.group(1)))
        if self.consent and self.consent in latest:
            return ("privacy",)
        if len(self.latest_options()) >= 3:
            return ("menu",)
        return None

    def wait_for_prompt(self, before, reference_re, what):
        """Waits for new bot messages (more than `before`) that ask something; presses retry on a message not sent."""
        deadline = time.monotonic() + STEP_SECONDS
        while time.monotonic() < deadline:
            count = self.bot_count()
            if count > before:
                kind = self.classify(self.bot_texts_since(before), reference_re)
                if kind:
                    return kind
            returned = self.driver.find_elements(By.CSS_SELECTOR, "#chat-log .msg.me.failed .state")
            retries = self.driver.find_elements(By.CSS_SELECTOR, "#chat-log .msg.me.failed button.retry")
            if returned and not retries:
                raise CheckFailed(f"{self.name}: the service refused {what}: {returned[-1].text!r}")
            enabled = [button for button in retries if button.is_enabled()]
            if enabled:
                note = enabled[0].find_element(By.XPATH, "..").text.replace("\n", " ")
                self.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", enabled[0])
                enabled[0].click()
                self.ok(f"{what} was not sent at first ({note!r}); pressed its retry button")
                deadline = time.monotonic() + STEP_SECONDS
            time.sleep(0.1)
        raise CheckFailed(f"{self.name}: no new bot message that asks something within {STEP_SECONDS} s after {what}")

    # ----- answering

    def type_and_send(self, text, use_button=False):
        box = self.driver.find_element(By.ID, "chat-text")
        box.click()
        box.clear()
        lines = text.split("\n")
        for index, line in enumerate(lines):
            if index:
                ActionChains(self.driver).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
            box.send_keys(line)
        if use_button:
            self.driver.find_element(By.ID, "chat-send").click()
        else:
            box.send_keys(Keys.ENTER)
        shown = self.last_me_text()
        if shown != text:
            raise CheckFailed(f"{self.name}: after sending {text!r} the newest .msg.me says {shown!r}")
        left = box.get_attribute("value")
        if left:
            raise CheckFailed(f"{self.name}: the message box still holds {left!r} after sending")

    def latest_options(self):
        """The option buttons of the newest bot message; fails if an older message still has some."""
        everywhere = self.driver.find_elements(By.CSS_SELECTOR, "#chat-log button.option")
        bots = self.driver.find_elements(By.CSS_SELECTOR, "#chat-log .msg.bot")
        latest = bots[-1].find_elements(By.CSS_SELECTOR, "button.option") if bots else []
        if len(latest) != len(everywhere):
            raise CheckFailed(f"{self.name}: {len(everywhere) - len(latest)} option buttons are left under older messages")
        return latest

    def click_option(self, needle):
        """Clicks the newest bot message's choice whose label is `needle` (else contains it); False if none."""
        buttons = [(button, (button.get_attribute("data-label") or "").strip()) for button in self.latest_options()]
        chosen = [pair for pair in buttons if pair[1] == needle] or [pair for pair in buttons if needle in pair[1]]
        if not chosen:
            return False
        button, label = chosen[0]
        if not button.text.strip().endswith(label):
            raise CheckFailed(f"{self.name}: the button of {label!r} says {button.text!r}")
        self.js("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", button)
        button.click()
        shown = self.last_me_text()
        if shown != label:
            raise CheckFailed(f"{self.name}: after clicking {label!r} the newest .msg.me says {shown!r}")
        self.clicks += 1
        self.clicked.append(label)
        return True

    def answer(self, answer, what, turn):
        if isinstance(answer, tuple):
            _, label, fallback = answer
            if self.click_option(label):
                self.ok(f"{what}: clicked the option button for {label!r}")
                return
            answer = fallback
        self.type_and_send(answer, use_button=(turn % 3 == 0))
        shown = answer.replace("\n", " / ")
        self.ok(f"{what}: typed {shown!r} and sent it with {'the Send button' if turn % 3 == 0 else 'Enter'}")

    def converse(self, opening, privacy, menu_label, menu_fallback, answers, confirm, reference_re, summary_shot):
        """Holds the whole conversation; returns the reference."""
        before = self.bot_count()
        self.type_and_send(opening)
        self.ok(f"sent {opening!r}")
        asked = {}
        for turn in range(1, 80):
            kind = self.wait_for_prompt(before, reference_re, f"answer {turn}")
            before = self.bot_count()
            if kind[0] == "done":
                return kind[1]
            if self.check_taps and self.latest_options():
                self.check_tap_targets()
                self.check_taps = False
            if kind[0] == "question":
                number = kind[1]
                asked[number] = asked.get(number, 0) + 1
                if asked[number] > 2:
                    raise CheckFailed(f"{self.name}: question {number} was asked again after two answers")
                if number not in answers:
                    raise CheckFailed(f"{self.name}: no answer for question {number}")
                self.answer(answers[number], f"question {number}", turn)
            elif kind[0] == "privacy":
                self.answer(privacy, "privacy question", turn)
            elif kind[0] == "menu":
                self.answer(("click", menu_label, menu_fallback), "menu", turn)
            elif kind[0] == "summary":
                self.screenshot(summary_shot)
                self.answer(confirm, "summary", turn)
        raise CheckFailed(f"{self.name}: no reference after 80 turns")

    # ----- page checks

    def check_lang_dir(self, lang):
        html = self.driver.find_element(By.TAG_NAME, "html")
        want_dir = "rtl" if lang == "ar" else "ltr"
        got_lang, got_dir = html.get_attribute("lang"), (html.get_attribute("dir") or "").lower()
        self.check(got_lang == lang, f"<html lang> is {lang}", f"found {got_lang!r}")
        self.check(got_dir == want_dir, f"<html dir> is {want_dir}", f"found {got_dir!r}")

    def wait_ready(self):
        """The page's script has shown the form and the history (or the intro note)."""
        try:
            WebDriverWait(self.driver, STEP_SECONDS).until(lambda d: d.execute_script("""
                var form = document.getElementById('chat-form');
                return !!form && !form.hidden && document.querySelectorAll('#chat-log .msg').length > 0;
            """))
        except TimeoutException:
            raise CheckFailed(f"{self.name}: the chat did not show its form and first note within {STEP_SECONDS} s")
        for selector in ("#chat-text", "#chat-send", "#chat-log", "#chat-status"):
            self.check(len(self.driver.find_elements(By.CSS_SELECTOR, selector)) == 1, f"{selector} is on the page")
        log = self.driver.find_element(By.ID, "chat-log")
        self.check(log.get_attribute("role") == "log" and log.get_attribute("aria-live") == "polite",
                   "#chat-log is role=log with aria-live=polite")

    def check_intro(self):
        notes = self.driver.find_elements(By.CSS_SELECTOR, "#chat-log .msg.note")
        self.check(len(notes) == 1 and notes[0].text.strip() != "" and self.bot_count() == 0,
                   "a fresh visitor sees the intro note and no bot message")

    def check_no_overflow(self):
        scroll_w, inner_w = self.js("return [document.documentElement.scrollWidth, window.innerWidth];")
        self.check(scroll_w <= inner_w, f"nothing is wider than the {inner_w}px window", f"the page is {scroll_w}px wide")

    def check_tab_reaches_send(self):
        self.js("document.getElementById('chat-text').focus();")
        ActionChains(self.driver).send_keys(Keys.TAB).perform()
        focused = self.js("return document.activeElement ? document.activeElement.id : '';")
        self.check(focused == "chat-send", "Tab from the message box reaches the Send button", f"focused #{focused}")

    def check_tap_targets(self):
        sizes = self.js("""
            return Array.from(document.querySelectorAll('#chat-send, #chat-text, #chat-log button'))
                .map(function (e) { var r = e.getBoundingClientRect(); return [e.id || e.className, r.width, r.height]; });
        """)
        small = [s for s in sizes if s[1] < MIN_TAP - 0.5 or s[2] < MIN_TAP - 0.5]
        self.check(sizes and not small, f"the {len(sizes)} buttons and the message box are at least {MIN_TAP}px tall and wide",
                   f"too small: {small}")


class Checker:
    def __init__(self, base, shots):
        self.base = base.rstrip("/")
        self.shots = shots
        self.count = 0

    def ok(self, message):
        self.count += 1
        print(f"ok {self.count}: {message}", flush=True)

    def check_service_answers(self):
        """Before starting a browser: /chat answers 200 (the browser would show its own error page)."""
        url = f"{self.base}/chat?lang=en"
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except (urllib.error.URLError, OSError) as error:
            raise CheckFailed(f"the service does not answer at {url}: {error}")
        if status != 200:
            raise CheckFailed(f"{url} answers {status}")
        self.ok(f"{url} answers 200")

    def english_pledge(self, chat):
        chat.open()
        chat.check_lang_dir("en")
        chat.wait_ready()
        chat.check_intro()
        chat.screenshot("webchat-en-start.png")
        reference_re = reference_pattern("pledge", "GCR-PL")
        reference = chat.converse("hello", ("click", "Yes", "yes"), "Register a pledge", "2", PLEDGE_EN, "ok",
                                  reference_re, "webchat-en-summary.png")
        chat.check(bool(reference_re.fullmatch(reference)), f"the final message gives the reference {reference}")
        print(f"REFERENCE en {reference}", flush=True)
        chat.check(chat.wait_scrolled_to_bottom(), "the log scrolled to its end after the last bot message")
        focused = chat.js("return document.activeElement ? document.activeElement.id : '';")
        chat.check(focused == "chat-text", "focus stayed in the message box while the bot answered", f"focused #{focused}")
        chat.check(chat.clicks >= 2, f"{chat.clicks} answers were given by clicking option buttons")
        chat.latest_options()
        chat.ok("option buttons were only ever under the newest bot message")
        chat.screenshot("webchat-en-done.png")

        mine, bots = chat.me_count(), chat.bot_count()
        chat.driver.refresh()
        WebDriverWait(chat.driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
        chat.ok("reloaded the page")
        try:
            WebDriverWait(chat.driver, STEP_SECONDS).until(lambda d: chat.bot_count() >= bots)
        except TimeoutException:
            raise CheckFailed(f"{chat.name}: after the reload, {chat.bot_count()} bot messages instead of {bots}")
        time.sleep(0.3)  # nothing more should come: the history is drawn in one go
        chat.check(chat.bot_count() == bots, f"after the reload the history shows the {bots} bot messages",
                   f"found {chat.bot_count()}")
        chat.check(chat.me_count() == mine, f"after the reload the history shows the {mine} own messages",
                   f"found {chat.me_count()}")
        chat.check(any(reference in text for text in chat.bot_texts_since(0)),
                   f"after the reload the history shows the reference {reference}")
        mine_after = chat.js("return Array.from(document.querySelectorAll('#chat-log .msg.me .text')).map(function (e) { return e.textContent; });")
        missing = [label for label in chat.clicked if label not in mine_after]
        chat.check(not missing, "after the reload the answers given by buttons show their labels", f"missing {missing}")
        chat.check(not chat.driver.find_elements(By.CSS_SELECTOR, "#chat-log .msg.note"),
                   "after the reload there is no intro note (the history is there)")
        chat.screenshot("webchat-en-reload.png")

    def arabic_practice(self, chat):
        chat.open()
        chat.check_lang_dir("ar")
        chat.wait_ready()
        chat.check_intro()
        chat.check_no_overflow()
        chat.check_tab_reaches_send()
        chat.screenshot("webchat-ar-phone-start.png")
        chat.check_taps = True
        reference_re = reference_pattern("good_practice", "GCR-PR")
        reference = chat.converse("السلام عليكم، بدي شارك تجربة ناجحة", "ايوه", "ممارسة جيدة", "ممارسة جيدة",
                                  PRACTICE_AR, "موافق", reference_re, "webchat-ar-phone-summary.png")
        chat.check(bool(reference_re.fullmatch(reference)), f"the final message gives the reference {reference}")
        print(f"REFERENCE ar {reference}", flush=True)
        chat.check(not chat.check_taps, "the option buttons were measured on the phone")
        chat.check_no_overflow()
        chat.check_tab_reaches_send()
        chat.screenshot("webchat-ar-phone-done.png")

    def run(self):
        os.makedirs(self.shots, exist_ok=True)
        self.check_service_answers()
        for lang, width, height, name, scenario in (
                ("en", 1280, 900, "en pledge 1280x900", self.english_pledge),
                ("ar", 390, 844, "ar good practice 390x844", self.arabic_practice)):
            chat = Conversation(self, lang, width, height, name)
            failed = True
            try:
                chat.start()
                scenario(chat)
                failed = False
            except (CheckFailed, WebDriverException) as error:
                last = chat.last_bot_texts() if chat.driver else []
                if isinstance(error, WebDriverException):
                    error = CheckFailed(f"{name}: the browser stopped: {error.msg or error}")
                error.last = last
                raise error
            finally:
                chat.stop(failed)
        print(f"all {self.count} checks passed", flush=True)


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    checker = Checker(argv[1], argv[2])
    try:
        checker.run()
        return 0
    except CheckFailed as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        for text in getattr(failure, "last", []):
            print("  last bot message: " + json.dumps(text, ensure_ascii=False), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
