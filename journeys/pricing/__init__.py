"""Pricing: what a proposed architecture costs a month, line by line, with where each price
came from.

    keys         PriceKey, NoCharge, price_keys(component, home_region=...), state_keys(state)
    price        ResolvedPrice, Tier (Decimal tiers; to_dict/from_dict for the cache)
    snapshot     Snapshot.load(), SUPPORTED_REGIONS, UnsupportedRegion (the shipped prices)
    api          PriceListClient, has_credentials(), PriceUnavailable (Price List Query API)
    book         PriceBook(cache, api_client, snapshot, mode), PriceCache, MemoryPriceCache
    estimate     estimate(state, prices, customers, free_tier=False) -> Estimate
    suggestions  suggest(state, estimate, prices) -> [Suggestion], suggestion_keys(state)
    free_tier    the Free Tier allowances an estimate may take off
    key_set      snapshot_keys(regions): every key the snapshot holds

Typical use (a Celery task):

    state = engine.recommend(stage, answers, region=..., dr_region=...)
    book = PriceBook(cache, PriceListClient(), Snapshot.load(), settings.PRICING_SOURCE)
    prices = book.resolve_many(state_keys(state) + suggestion_keys(state), progress=...)
    result = estimate(state, prices, customers)
    tips = suggest(state, result, prices, traffic_pattern=answers.get("traffic_pattern"))

Only `api`, `book` and the management command touch boto3; the rest is pure Python.
"""
