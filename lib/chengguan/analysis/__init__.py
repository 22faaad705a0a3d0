"""Domain analyses used by the notebooks: pure functions over the loaded observations.

- ``common``: picking observations, bilingual labels, the "data used" and sources tables.
- ``garbage``: household-garbage sorting enforcement (the 2022 funnel, 2019–2022 rates).
- ``demolition``: illegal construction and removals (programme sizes, the 2023 target).
- ``nonsite``: non-site enforcement, risk-graded supervision, campaign yields, digital indicators.
"""
