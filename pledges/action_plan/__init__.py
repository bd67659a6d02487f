"""The campaign's action plan: four steps after signing, reminders, invitations and broadcasts."""
