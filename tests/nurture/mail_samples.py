"""Raw inbound mails as real clients and MTAs write them, with $placeholders:
$token (our reply token), $domain (settings.REPLY_DOMAIN), $message_id (ours, with <>),
$to (the candidate's address), $inbound_id (the inbound mail's own Message-ID, with <>)."""

from __future__ import annotations

from string import Template


def render(sample: str, **values) -> bytes:
    """The sample with its placeholders filled, CRLF line ends, as bytes."""
    values.setdefault("inbound_id", "<inbound-1@mail.example.com>")
    text = Template(sample).safe_substitute(values)
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode()


GMAIL_REPLY = """\
Return-Path: <$to>
Delivered-To: reply+$token@$domain
Received: from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41])
        by mx.example.net with ESMTPS id 4kq2
        for <reply+$token@$domain>; Tue, 04 Mar 2025 10:12:03 +0000
MIME-Version: 1.0
References: $message_id
In-Reply-To: $message_id
From: Cand Idate <$to>
Date: Tue, 4 Mar 2025 11:11:52 +0100
Message-ID: $inbound_id
Subject: Re: Hi Cand
To: Rita Recruiter <reply+$token@$domain>
Content-Type: multipart/alternative; boundary="000000000000f2e1a1062f7d1c2e"

--000000000000f2e1a1062f7d1c2e
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Hi Rita,

Thanks for reaching out =E2=80=94 yes, I would be happy to talk next week.
Tuesday afternoon works.

Best,
Cand

On Mon, 3 Mar 2025 at 09:00, Rita Recruiter <reply+$token@$domain>
wrote:

> Hi Cand,
>
> We have a role you might like.
>
> --
> Unsubscribe: https://talentloop.example/n/u/abc/
>

--000000000000f2e1a1062f7d1c2e
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Hi Rita,<br><br>Thanks for reaching out, yes, I would be h=
appy to talk next week.</div><div class=3D"gmail_quote">On Mon, 3 Mar 2025 =
at 09:00, Rita Recruiter wrote:<blockquote>Hi Cand</blockquote></div>

--000000000000f2e1a1062f7d1c2e--
"""

# Outlook keeps no reply+ address visible when the person replies to the From (a shared
# mailbox forwards it to us): it is matched by In-Reply-To.
OUTLOOK_REPLY = """\
Received: from EUR05-AM6-obe.outbound.protection.outlook.com (40.107.22.1)
        by mx.example.net; Tue, 04 Mar 2025 10:20:00 +0000
From: Cand Idate <$to>
To: "Talentloop Recruiting" <jobs@example.com>
Subject: RE: Hi Cand
Thread-Topic: Hi Cand
Thread-Index: AQHZb3N0aGluZw==
Date: Tue, 4 Mar 2025 10:19:41 +0000
Message-ID: $inbound_id
References: <older@example.com> $message_id
In-Reply-To: $message_id
Accept-Language: en-US
Content-Language: en-US
X-MS-Has-Attach:
X-MS-TNEF-Correlator:
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable
MIME-Version: 1.0

Hello,

Not looking right now, please check back in a few months.

Regards,
Cand Idate

-----Original Message-----
From: Talentloop Recruiting <jobs@example.com>
Sent: Monday, March 3, 2025 9:00 AM
To: Cand Idate <$to>
Subject: Hi Cand

Hi Cand,

We have a role you might like.
"""

# Outlook's newer style: no "Original Message" line, just a From:/Sent: block under a rule.
OUTLOOK_REPLY_NEW_STYLE = """\
From: Cand Idate <$to>
To: reply+$token@$domain
Subject: RE: Hi Cand
Date: Tue, 4 Mar 2025 10:19:41 +0000
Message-ID: $inbound_id
Content-Type: text/plain; charset="utf-8"
MIME-Version: 1.0

Sounds good, call me on Friday.

________________________________
From: Talentloop Recruiting <reply+$token@$domain>
Sent: Monday, March 3, 2025 9:00 AM
To: Cand Idate <$to>
Subject: Hi Cand

Hi Cand, we have a role you might like.
"""

# Postfix: a hard bounce, 5.1.1 user unknown, with the original's headers.
DSN_HARD = """\
Return-Path: <>
Delivered-To: bounces@$domain
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: jobs@example.com
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="8B2DA1C0C3.1741083123/mx.example.net"
Message-Id: $inbound_id
Date: Tue,  4 Mar 2025 10:12:03 +0000 (UTC)

This is a MIME-encapsulated message.

--8B2DA1C0C3.1741083123/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<$to>: host mx.candidate-mail.example[203.0.113.5] said: 550 5.1.1
    <$to>: Recipient address rejected: User unknown in virtual mailbox table

--8B2DA1C0C3.1741083123/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 8B2DA1C0C3
X-Postfix-Sender: rfc822; jobs@example.com
Arrival-Date: Tue,  4 Mar 2025 10:12:02 +0000 (UTC)

Final-Recipient: rfc822; $to
Original-Recipient: rfc822;$to
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.candidate-mail.example
Diagnostic-Code: smtp; 550 5.1.1 <$to>: Recipient address rejected: User
    unknown in virtual mailbox table

--8B2DA1C0C3.1741083123/mx.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <jobs@example.com>
Received: from app.talentloop.example (app.talentloop.example [198.51.100.7])
	by mx.example.net (Postfix) with ESMTPS id 8B2DA1C0C3
	for <$to>; Tue,  4 Mar 2025 10:12:02 +0000 (UTC)
From: Talentloop Recruiting <jobs@example.com>
To: $to
Reply-To: reply+$token@$domain
Subject: Hi Cand
Message-ID: $message_id
Date: Tue, 04 Mar 2025 10:12:01 -0000

--8B2DA1C0C3.1741083123/mx.example.net--
"""

# Exim: a soft bounce (mailbox full, 4.2.2), the original attached as message/rfc822.
DSN_SOFT = """\
From: Mail Delivery System <Mailer-Daemon@mx.example.net>
To: jobs@example.com
Subject: Warning: message 1tpK3l-0003Ab-2s delayed 24 hours
Auto-Submitted: auto-replied
Message-Id: $inbound_id
Date: Wed, 05 Mar 2025 10:12:03 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary=NNNNNNNNNN-eximdsn-1234

--NNNNNNNNNN-eximdsn-1234
Content-type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 24 hours on the queue on mx.example.net.

  $to
    Mailbox is full / Blocks limit exceeded / Inode limit exceeded

No action is required on your part. Delivery attempts will continue.

--NNNNNNNNNN-eximdsn-1234
Content-type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Action: delayed
Final-Recipient: rfc822;$to
Status: 4.2.2
Remote-MTA: dns; mx.candidate-mail.example
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full
Will-Retry-Until: Fri, 07 Mar 2025 10:12:03 +0000

--NNNNNNNNNN-eximdsn-1234
Content-type: message/rfc822

From: Talentloop Recruiting <jobs@example.com>
To: $to
Reply-To: reply+$token@$domain
Subject: Hi Cand
Message-ID: $message_id
Date: Tue, 04 Mar 2025 10:12:01 -0000
Content-Type: text/plain

Hi Cand, we have a role you might like.

--NNNNNNNNNN-eximdsn-1234--
"""

AUTO_REPLY = """\
From: Cand Idate <$to>
To: reply+$token@$domain
Subject: Automatic reply: Hi Cand
Date: Tue, 4 Mar 2025 10:12:05 +0000
Message-ID: $inbound_id
In-Reply-To: $message_id
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset="utf-8"
MIME-Version: 1.0

I am out of the office until 17 March with limited access to email.
"""

# A mail to the reply domain that names nothing of ours.
UNMATCHED_REPLY = """\
From: Someone Else <someone@example.org>
To: reply+ffffffffffffffff@$domain
Subject: Re: your newsletter
Date: Tue, 4 Mar 2025 12:00:00 +0000
Message-ID: $inbound_id
In-Reply-To: <not-ours@elsewhere.example>
Content-Type: text/plain; charset="utf-8"
MIME-Version: 1.0

Who is this?

> some quoted text
"""

# The List-Unsubscribe mailto: a mail client's "unsubscribe" button sends this.
UNSUBSCRIBE_MAIL = """\
From: Cand Idate <$to>
To: unsubscribe+$token@$domain
Subject: unsubscribe
Date: Tue, 4 Mar 2025 12:00:00 +0000
Message-ID: $inbound_id
Content-Type: text/plain; charset="utf-8"
MIME-Version: 1.0

This message was automatically generated by Gmail.
"""
