"""The staff pages' forms: the queue's filters and one small form per decision (shapes only; the services
decide)."""

from typing import Any

from django import forms

from apps.risk.models import Alert, Case, CaseProposal

ENVIRONMENTS = [("", "Any"), ("sandbox", "Sandbox"), ("live", "Live")]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", "Open (and information requested)"), ("all", "Any"), *Case.Status.choices]
    )
    kind = forms.ChoiceField(required=False, label="Alert kind", choices=[("", "Any"), *Alert.Kind.choices])
    assignee = forms.ChoiceField(required=False)
    environment = forms.ChoiceField(required=False, choices=ENVIRONMENTS)
    order = forms.ChoiceField(required=False, choices=[("oldest", "Oldest first"), ("newest", "Newest first")])

    def __init__(self, *args: Any, staff_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ChoiceField)
        assignee.choices = [("", "Anyone or nobody"), ("me", "Me"), ("none", "Nobody"), *staff_choices]


class AssignForm(forms.Form):
    assignee = forms.CharField(required=False, help_text="'me', a staff user's key, or empty for nobody.")


class NoteForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, strip=True)


class DecisionForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, strip=True)


class ReportForm(forms.Form):
    narrative = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), max_length=20000, strip=True)


class ProposalForm(forms.Form):
    action = forms.ChoiceField(choices=CaseProposal.Action.choices)
    wallet = forms.CharField(required=False, max_length=40)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, strip=True)


class TargetForm(forms.Form):
    """A decision about one thing named on the case: a proposal, a transfer or a verification (its id)."""

    target = forms.CharField(max_length=40)
