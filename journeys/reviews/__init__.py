"""Architect review, one module per rule: `flow` (the status table), `submissions`, `queue`,
`comments`, `decisions` (sign-offs and decisions), `sharing` (stakeholder links) and
`notifications`.

Plain functions over the models. They never build a template context, reverse a URL or raise
Http404: the views do that. A request that the rules refuse raises Django's `ValidationError`
with a message written for the person (a dict of messages when it belongs to form fields), so
the view adds it to its form and shows it next to the field with the input kept.
"""
