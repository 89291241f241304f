#!/usr/bin/env python3
"""Writes N first-contact mails into a Maildir's new/ folder (and, with --files, as plain .eml files).

Three kinds in turn, each from its own sender: UTF-8 plain text; quoted-printable ISO-8859-1 with an
HTML alternative; base64 windows-1256 Arabic. Used by imap_ingest.sh and mime_decode.sh.
  make_mails.py COUNT DIR            # DIR/new/<unique> (a Maildir)
  make_mails.py COUNT DIR --files    # DIR/<n>.eml
"""
import base64
import os
import quopri
import sys

FRENCH = ("Bonjour, je voudrais partager une bonne pratique : notre coopérative à Goma forme des "
          "réfugiées à la couture depuis 2021. Merci de votre écoute.")
ARABIC = "مرحبا، أريد أن أشارك ممارسة جيدة: مدرسة مسائية للأطفال اللاجئين في عمّان منذ سنتين."
ENGLISH = "Hello, I would like to share a good practice from our refugee-led group in Kampala."


def mail(n):
    kind = n % 3
    head = (f"From: Sender {n} <sender{n}@example.org>\r\nTo: intake@example.org\r\n"
            f"Message-ID: <bench-{n}@example.org>\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n")
    if kind == 0:
        return (head + "Subject: Good practice\r\nContent-Type: text/plain; charset=utf-8\r\n"
                "Content-Transfer-Encoding: 8bit\r\n\r\n" + ENGLISH + f" (#{n})\r\n").encode("utf-8")
    if kind == 1:
        text = quopri.encodestring((FRENCH + f" (#{n})").encode("iso-8859-1")).decode("ascii")
        html = quopri.encodestring(f"<html><body><p>{FRENCH} (#{n})</p></body></html>".encode("iso-8859-1")).decode("ascii")
        boundary = f"b{n}"
        return (head + "Subject: =?iso-8859-1?q?Bonne_pratique?=\r\n"
                f"Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n"
                f"--{boundary}\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                f"{text}\r\n--{boundary}\r\nContent-Type: text/html; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                f"{html}\r\n--{boundary}--\r\n").encode("ascii")
    body = base64.encodebytes((ARABIC + f" ({n})").encode("cp1256")).decode("ascii").replace("\n", "\r\n")
    return (head + "Subject: =?windows-1256?b?" + base64.b64encode("ممارسة جيدة".encode("cp1256")).decode("ascii") + "?=\r\n"
            "Content-Type: text/plain; charset=windows-1256\r\nContent-Transfer-Encoding: base64\r\n\r\n" + body).encode("ascii")


def main():
    count, folder = int(sys.argv[1]), sys.argv[2]
    files = "--files" in sys.argv[3:]
    target = folder if files else os.path.join(folder, "new")
    os.makedirs(target, exist_ok=True)
    if not files:
        for sub in ("cur", "tmp"):
            os.makedirs(os.path.join(folder, sub), exist_ok=True)
    for n in range(count):
        name = f"{n:06d}.eml" if files else f"1764320000.M{n}P1.bench"
        with open(os.path.join(target, name), "wb") as out:
            out.write(mail(n))


if __name__ == "__main__":
    main()
