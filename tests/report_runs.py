"""Every report run the tests execute, by name: (notebook stem, parameters).

Small real parameter sets, both languages for every notebook, non-default values where a parameter
changes a result. ``notebook_runs.reports(names)`` hands out the runs a test asks for from the
session's engine builds (each run executed once per session; a run with the notebook and parameters
of a site run is that run of the site build): per-notebook modules ask for their own runs, and the
coverage test (every observation in some report) for all of them.
"""

from __future__ import annotations

from typing import Any

RUNS: dict[str, tuple[str, dict[str, Any]]] = {
    "garbage_sorting-zh": ("garbage_sorting", {"lang": "zh", "confidence": 0.9}),
    "garbage_sorting-en": ("garbage_sorting", {"lang": "en", "first_week_days": 7}),
    "illegal_construction-zh": ("illegal_construction", {"lang": "zh"}),
    "illegal_construction-en": ("illegal_construction", {"lang": "en", "structures_per_case": 2.0,
                                                         "panels_per_site": 1.5}),
    "residential_communities-zh": ("residential_communities", {"lang": "zh"}),
    "residential_communities-en": ("residential_communities", {"lang": "en", "sites_per_case": 2.0}),
    # two years of district reports (Minhang), one year and a registered stock (Pudong), cases handled
    # (Baoshan), news figures (Hongkou), and the shared page of the districts without figures of their own
    "district-minhang-zh": ("district_profile", {"lang": "zh", "district": "minhang"}),
    "district-pudong-en": ("district_profile", {"lang": "en", "district": "pudong"}),
    "district-changning-en": ("district_profile", {"lang": "en", "district": "changning"}),
    "district-baoshan-zh": ("district_profile", {"lang": "zh", "district": "baoshan"}),
    "district-hongkou-en": ("district_profile", {"lang": "en", "district": "hongkou"}),
    "district-others-zh": ("district_profile", {"lang": "zh", "district": "others"}),
    "districts_side_by_side-zh": ("districts_side_by_side", {"lang": "zh"}),
    "districts_side_by_side-en": ("districts_side_by_side", {"lang": "en", "reference_summary_share": 60.0,
                                                             "include_units": False}),
    "urban_safety-zh": ("urban_safety", {"lang": "zh"}),
    "urban_safety-en": ("urban_safety", {"lang": "en", "sites_per_case": 2.0,
                                         "self_built_in_safety_cases": False}),
    "plan_2023-zh": ("plan_2023", {"lang": "zh"}),
    "plan_2023-en": ("plan_2023", {"lang": "en", "summary_measure": "sentences"}),
}
RUNS.update({
    "overview_2022-zh": ("overview_2022", {"lang": "zh"}),
    "overview_2022-en": ("overview_2022", {"lang": "en", "include_self_built_housing": False,
                                            "press_round_to": 1000}),
})
RUNS.update({
    "explorer-zh": ("explorer", {"lang": "zh", "interactive": False}),
    "explorer-en": ("explorer", {"lang": "en", "domain": "street_environment", "indicator": "",
                                 "compare_with": "", "scope": "", "year": 2022,
                                 "interactive": False}),
})
RUNS.update({
    "epidemic_duty-zh": ("epidemic_duty", {"lang": "zh"}),
    "epidemic_duty-en": ("epidemic_duty", {"lang": "en", "duty_period": "year"}),
})
RUNS.update({
    "ecology_construction_waste-zh": ("ecology_construction_waste", {"lang": "zh"}),
    "ecology_construction_waste-en": ("ecology_construction_waste",
                                      {"lang": "en", "include_illegal_buildings": False}),
})
RUNS.update({
    "workforce_supervision-zh": ("workforce_supervision", {"lang": "zh"}),
    "workforce_supervision-en": ("workforce_supervision", {"lang": "en", "confidence": 0.9}),
})
RUNS.update({
    "reform_coordination-zh": ("reform_coordination", {"lang": "zh"}),
    "reform_coordination-en": ("reform_coordination", {"lang": "en", "plan_terms": "联动 街镇"}),
})
RUNS.update({
    "community_law-zh": ("community_law", {"lang": "zh"}),
    "community_law-en": ("community_law", {"lang": "en", "procedure": "all"}),
})
RUNS.update({
    "nonsite_enforcement-zh": ("nonsite_enforcement", {"lang": "zh"}),
    "nonsite_enforcement-en": ("nonsite_enforcement", {
        "lang": "en", "confidence": 0.99, "low_risk_inspections_per_year": 2.0,
        "other_risk_inspections_per_year": 6.0, "uniform_inspections_per_year": 6.0}),
    "street_environment-zh": ("street_environment", {"lang": "zh", "confidence": 0.9}),
    "street_environment-en": ("street_environment", {"lang": "en"}),
    "major_operations-zh": ("major_operations", {"lang": "zh"}),
    "major_operations-en": ("major_operations", {"lang": "en", "more_than_reading": "open"}),
})
