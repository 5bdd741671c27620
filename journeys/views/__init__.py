"""Views, one module per area: accounts, teams, journeys, wizard."""
