"""The one error the domain layer raises when a rule refuses an action."""

from django.utils.functional import Promise


class DomainError(Exception):
    """A refusal by a business rule.

    `message` is a lazily translated text, so it renders in the language active where it is shown
    (Dutch by default, English when the person chose English). `rule` names the DOMAIN.md rule.
    """

    def __init__(self, message: str | Promise, *, rule: str = "", code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.code = code or rule

    def __str__(self) -> str:
        return str(self.message)
