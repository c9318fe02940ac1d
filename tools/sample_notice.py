"""Write the sample's improvement notice (E012's attachment) as a small text PDF. Fictional.

Run with the project's venv: ``.venv/bin/python tools/sample_notice.py``; it rewrites
``tools/sample/files/E012/improvement-notice-NBC-ASC-HC-07.pdf`` from :data:`NOTICE`, so the
notice is read and corrected as text. The PDF is written by hand (Helvetica, A4, no PDF
library: the pages here, the file by ``tools/pdf_writer.py``), byte for byte the same on every
run.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from pdf_writer import pdf_file, pdf_string

OUT = Path(__file__).resolve().parent / "sample/files/E012/improvement-notice-NBC-ASC-HC-07.pdf"
TITLE = "IMPROVEMENT NOTICE (fictional sample document)"

NOTICE = """\
Northmoor Borough Council, Adult Social Care Commissioning. Reference NBC-ASC-HC-07/IN/01.

To: the Managing Director, Quillmere Home Care Ltd (company number 09412786), at its \
registered office as named in clause 52 of the contract. Sent by recorded delivery, with a \
copy by email, on 6 May 2026. Under clause 52 this notice is deemed served on the second \
working day after posting, 8 May 2026; the periods in paragraph 7 run from that day.

Contract: Eastfield zone home care framework, call-off contract NBC-ASC-HC-07, dated 1 \
October 2025 (the framework was let under the Public Contracts Regulations 2015).

1. This notice is served under clause 23 (Improvement notices). On 29 April 2026 the \
Contracts Board decided that the provider has failed to meet the contract in the ways set \
out in paragraph 2 (a) to (d), on the validated figures for January to March, and that the \
action plan agreed on 10 March 2026 has not put them right. The April figure in paragraph \
2 (a) is from the call monitoring data checked on 1 May 2026.

2. The failures. (a) Schedule 2: missed visits above the tolerance of 12 a month in every \
month from January to March 2026 (27, 33 and 29), and 24 in April. (b) Schedule 2: 13 \
time-critical medication calls missed from January to March 2026. (c) Schedule 6: mandatory \
training below 90 per cent in every month since October 2025 (64 per cent in March 2026). \
(d) Schedule 5: the January monitoring return received 20 days late.

3. What the provider must do. R1 Missed visits 12 a month or fewer, from June 2026. R2 No \
missed time-critical call, from June 2026. R3 Mandatory training at 90 per cent or more by \
30 June 2026. R4 Every monthly return complete by the 10th. R5 A weekly missed and late \
visit report every Friday that matches the call monitoring data. R6 Contact with every \
person affected by a missed visit within 24 hours.

4. Compliance period. Requirements R1 to R6 must be met by 30 June 2026 (the end of the \
compliance period). The notice will be closed only when they are met in June and sustained \
in July and August 2026. The council will report the outcome to the Contracts Board in \
September 2026.

5. Meanwhile. New referrals to the provider have been suspended under clause 23.4 since 23 \
March 2026, when the regulator rated the service Inadequate for Safe. They stay suspended \
until this notice is closed. Service credits under Schedule 4 continue to apply. The \
council will monitor progress weekly and visit, with or without notice, under clause 19.

6. If the notice is not met. The Contracts Board will consider step-in under clause 25, or \
ending the contract in whole or in part under clause 24.

7. How to challenge this notice. (a) Written representations to the Director of Adult \
Social Care, who took no part in the decision and did not sign this notice, within 10 \
working days of deemed service; you will have a written reply within 10 working days. (b) If the \
matter is not resolved, the dispute resolution procedure in clause 41: a meeting of senior \
representatives, then mediation, before any court proceedings. (c) Under clause 23.6 this \
notice stays in force while a challenge is considered. (d) A challenge to the regulator's \
rating or findings is a separate matter for the regulator's own processes; this notice \
concerns the contract only.

Signed: Head of Commissioning (authorised officer), 6 May 2026. Contact for this notice: \
Jordan Ashby, Contracts and Commissioning Officer, contracts team inbox as named in the \
contract.

No personal details of any person who uses the service are given in this notice.
"""


def _lines() -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = [(13, TITLE), (10, "")]
    for paragraph in NOTICE.strip().split("\n\n"):
        out += [(10, line) for line in textwrap.wrap(" ".join(paragraph.split()), 92)]
        out.append((10, ""))
    return out


def notice_pdf() -> bytes:
    """The notice as PDF bytes: A4 pages of text lines, 14 points apart."""
    pages: list[list[str]] = [[]]
    y = 800
    for size, text in _lines():
        if y < 70:
            pages.append([])
            y = 800
        pages[-1].append(f"/F1 {size} Tf 1 0 0 1 56 {y} Tm ({pdf_string(text)}) Tj")
        y -= 17 if size > 10 else 14
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [{kids}] /Count {count} >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        "<< /Title (Improvement notice NBC-ASC-HC-07/IN/01 \\(fictional\\)) "
        "/Producer (cpc306 sample, fictional) >>",
    ]
    kids = []
    for lines in pages:
        number = len(objects) + 1
        kids.append(f"{number} 0 R")
        objects.append(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {number + 1} 0 R >>"
        )
        stream = "BT\n" + "\n".join(lines) + "\nET"
        objects.append(
            f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream"
        )
    objects[1] = objects[1].format(kids=" ".join(kids), count=len(pages))
    return pdf_file(objects, info=4)


if __name__ == "__main__":
    OUT.write_bytes(notice_pdf())
    print(f"Wrote {OUT}")
