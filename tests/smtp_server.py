"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), keeping what it receives."""

import email
import email.policy
import socket

from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self, refuse=()):
        self.messages = []
        self.refuse = {a.lower() for a in refuse}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() in self.refuse:  # as a server that knows no such mailbox
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"

    def body(self, index):
        return self.messages[index][1].get_body(("plain",)).get_content()


def free_port(first=8171, last=8179):
    """A free port in this project's range (the tests run beside other projects' servers)."""
    for port in range(first, last + 1):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port between {first} and {last}")


class SMTPServer:
    def __init__(self, refuse=()):
        """`refuse`: recipients the server refuses (550), as a real one refuses unknown ones."""
        self.inbox = Inbox(refuse)
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def mailers(self):
        """The MAILERS setting that queues every mail, as production does, and has the task
        worker send it through this server (which need not be running yet)."""
        return {
            "default": {"BACKEND": "assess.operations.mail.QueuedEmailBackend"},
            "delivery": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 10},
            },
        }
