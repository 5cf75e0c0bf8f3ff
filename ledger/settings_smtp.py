"""The SMTP server that notification emails go through: a part of the one `Settings` object."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings


class SmtpSettings(BaseSettings):
    """`LEDGER_SMTP_*`; `Settings` inherits these fields and gives them its prefix."""

    smtp_host: str | None = Field(
        default=None,
        max_length=255,
        description="SMTP server that notification emails go through; unset: no rule may send email.",
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_starttls: bool = Field(
        default=True, description="Upgrade the SMTP connection with STARTTLS before anything is sent."
    )
    smtp_username: str | None = Field(
        default=None, max_length=255, description="SMTP login, if it needs one."
    )
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password, with the login.")
    smtp_from: str = Field(
        default="ledger@localhost", max_length=320, description="The sender address of notification emails."
    )
    smtp_timeout_seconds: float = Field(
        default=10, gt=0, le=120, description="How long one SMTP exchange may take."
    )
