"""The receipt mode in the settings form of a sealed target (survey, election, budget)."""

from __future__ import annotations


class ReceiptModeFormMixin:
    """For a ModelForm of a SealedTarget listing ``receipt_mode`` among its fields.

    Call :meth:`lock_receipt_mode` with the reason once receipts may have been handed out:
    the field is then shown disabled and a posted value is ignored (receipts already given
    keep the meaning they were given with). A post without the field keeps the current mode.
    """

    def lock_receipt_mode(self, reason: str | None) -> None:
        field = self.fields["receipt_mode"]
        field.required = False
        if reason:
            field.disabled = True
            field.help_text = reason

    def clean_receipt_mode(self) -> str:
        return self.cleaned_data.get("receipt_mode") or self.instance.receipt_mode
