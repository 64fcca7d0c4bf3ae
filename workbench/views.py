from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import permissions
from campaigns.selectors import chosen_campaign, key_day_state
from core.registry import app_hooks

from . import selectors


@login_required
def home(request):
    """The role-aware workbench (工作台): what this person has to do and to watch."""
    user = request.user
    campaign = chosen_campaign(request, cached=False)
    context = {
        "campaign": campaign,
        "key_day": key_day_state(campaign) if campaign else None,
        "is_organiser": permissions.is_organiser(user),
        "is_coordinator": permissions.is_coordinator(user),
        "is_expert": permissions.is_expert(user),
    }
    if context["is_coordinator"]:
        units = list(selectors.coordinator_units(user=user))
        context["units"] = units
        context["todos"] = selectors.coordinator_todos(user=user, units=units)
    # Each capability adds the to-dos it knows of (core.registry: <app>/workbench.py).
    context["todos"] = context.get("todos", []) + [
        todo for todos_for in app_hooks("workbench", "todos") for todo in todos_for(user)
    ]
    if context["is_expert"]:
        # The expert's reviews, from the capability that knows them (one section, no contradiction).
        context["reviews"] = next((r for hook in app_hooks("workbench", "reviews") if (r := hook(user))), None)
    if context["is_organiser"]:
        context["office_overview"] = selectors.office_overview(user=user, campaign=campaign)
        context["totals"] = selectors.organiser_totals()
    return render(request, "workbench/home.html", context)
