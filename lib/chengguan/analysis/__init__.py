"""Domain analyses used by the notebooks: pure functions over the loaded observations.

- ``common``: picking observations, bilingual labels, the "data used" and sources tables,
  shares of all cases as bounds, what the 2023 plan says about a domain.
- ``nonsite``: non-site enforcement, risk-graded supervision, campaign yields, digital indicators.
- ``street``: street order (vending, flyers, outdoor ads) and the city-wide order campaign.
"""
