"""Catalogue metadata for ONS Explore Local Statistics indicators, keyed by the ONS indicator title.

ONS publishes titles, units and periods; themes, polarity (which direction is good), value type and short
titles are this project's editorial judgement, recorded here so that they can be reviewed in one place.
An ONS indicator missing from this table is still loaded, with theme "economy"/polarity "neither" and a
note, so a new ONS release never breaks the build.
"""

from __future__ import annotations

from dataclasses import dataclass

from insight.schema import Polarity, Status, ValueType

B, W, N = Polarity.HIGHER_IS_BETTER, Polarity.HIGHER_IS_WORSE, Polarity.NEITHER
P, R, M, C, S = ValueType.PROPORTION, ValueType.RATE, ValueType.MEAN, ValueType.COUNT, ValueType.SCORE


@dataclass(frozen=True)
class ElsMeta:
    """Editorial metadata for one ONS indicator."""

    indicator_id: str
    short_title: str
    theme: str
    polarity: Polarity
    value_type: ValueType
    unit: str | None = None  # overrides the ONS unit where the ONS unit is wrong
    status: Status = Status.REAL
    title: str | None = None  # the title shown, where ONS's own is in another case ("Claimant Count")


ELS_META: dict[str, ElsMeta] = {
    "Adult obesity prevalence": ElsMeta("adult_obesity", "Adult obesity", "health and wellbeing", W, P),
    "Apprenticeship achievements (England)": ElsMeta("apprenticeship_achievements", "Apprenticeship achievements", "economy", B, R),
    "Apprenticeship starts (England)": ElsMeta("apprenticeship_starts", "Apprenticeship starts", "economy", B, R),
    "Cycle to work": ElsMeta("travel_time_cycle", "Travel time by cycle", "place", W, M),
    "Drive to work": ElsMeta("travel_time_drive", "Travel time by car", "place", W, M),
    "Public transport or walk to work": ElsMeta("travel_time_public", "Travel time by public transport/walk", "place", W, M),
    "Active businesses": ElsMeta("active_businesses", "Active businesses", "economy", B, C),
    "Business births": ElsMeta("business_births", "Business births", "economy", B, P),
    "Business deaths": ElsMeta("business_deaths", "Business deaths", "economy", W, P),
    "Five-year survival rate": ElsMeta("business_survival_5y", "Business 5-year survival", "economy", B, P),
    "Four-year survival rate": ElsMeta("business_survival_4y", "Business 4-year survival", "economy", B, P),
    "High growth businesses": ElsMeta("high_growth_businesses", "High-growth businesses", "economy", B, P),
    "One-year survival rate": ElsMeta("business_survival_1y", "Business 1-year survival", "economy", B, P),
    "Three-year survival rate": ElsMeta("business_survival_3y", "Business 3-year survival", "economy", B, P),
    "Two-year survival rate": ElsMeta("business_survival_2y", "Business 2-year survival", "economy", B, P),
    "Cancer diagnosis at stage 1 and 2": ElsMeta("cancer_early_diagnosis", "Cancer early diagnosis", "health and wellbeing", B, P),
    "Children in relative poverty after housing costs": ElsMeta("child_poverty_ahc", "Child poverty (after housing costs)", "children and families", W, P),
    "Children in relative poverty before housing costs": ElsMeta("child_poverty_bhc", "Child poverty (before housing costs)", "children and families", W, P),
    "Cigarette smokers": ElsMeta("smoking", "Cigarette smokers", "health and wellbeing", W, P),
    "Claimant Count": ElsMeta("claimant_count", "Claimant count", "economy", W, P, title="Claimant count"),
    "Electricity consumption": ElsMeta("electricity_consumption", "Electricity use per meter", "environment", W, M),
    "Gas consumption": ElsMeta("gas_consumption", "Gas use per meter", "environment", W, M),
    "Communication and language": ElsMeta("early_years_communication", "Early years: communication", "children and families", B, P),
    "Literacy": ElsMeta("early_years_literacy", "Early years: literacy", "children and families", B, P),
    "Mathematics": ElsMeta("early_years_maths", "Early years: maths", "children and families", B, P),
    "Economically inactive": ElsMeta("economic_inactivity", "Economically inactive", "economy", W, P),
    "Employment rate": ElsMeta("employment_rate", "Employment rate", "economy", B, P),
    "Engaged with the arts": ElsMeta("arts_engagement", "Engaged with the arts", "place", B, P),
    "Visited a heritage site": ElsMeta("heritage_visits", "Visited a heritage site", "place", B, P),
    "Visited a museum or gallery": ElsMeta("museum_visits", "Visited a museum or gallery", "place", B, P),
    "Visited a public library": ElsMeta("library_visits", "Visited a public library", "place", B, P),
    "Air pollution regulating": ElsMeta("air_pollution_regulating", "Air pollution removal value", "environment", B, M),
    "Greenhouse gas regulating": ElsMeta("ghg_regulating", "Greenhouse gas removal value", "environment", B, S),
    "Urban heat regulating": ElsMeta("urban_heat_regulating", "Urban cooling value", "environment", B, M),
    "First-time buyer mortgage sales": ElsMeta("first_time_buyers", "First-time buyer mortgages", "place", B, R),
    "Food outlets": ElsMeta("food_outlets", "Food outlets", "place", N, R),
    "Further education and skills learner achievements": ElsMeta("fe_achievements", "FE & skills achievements", "economy", B, R),
    "Further education and skills participation": ElsMeta("fe_participation", "FE & skills participation", "economy", B, R),
    "GCSEs in English and Maths": ElsMeta("gcse_english_maths", "GCSE English & maths", "children and families", B, P),
    "Gigabit capable broadband": ElsMeta("gigabit_broadband", "Gigabit broadband", "place", B, P),
    "Greenhouse gas emissions": ElsMeta("ghg_emissions", "Greenhouse gas emissions per head", "environment", W, R, "tonnes CO2e per person"),
    "Gross disposable household income": ElsMeta("gdhi_per_head", "Household income per head", "economy", B, M, "£ per head"),
    "Gross median weekly pay": ElsMeta("median_weekly_pay", "Median weekly pay", "economy", B, M, "£ per week"),
    "Gross value added per filled job": ElsMeta("gva_per_job", "GVA per job", "economy", B, M),
    "Gross value added per hour worked": ElsMeta("gva_per_hour", "GVA per hour worked", "economy", B, M),
    "Female healthy life expectancy": ElsMeta("hle_female", "Healthy life expectancy (female)", "health and wellbeing", B, M, "years"),
    "Male healthy life expectancy": ElsMeta("hle_male", "Healthy life expectancy (male)", "health and wellbeing", B, M, "years"),
    "Homicide Offences": ElsMeta("homicide_rate", "Homicide offences", "place", W, R, title="Homicide offences"),
    "Housing affordability ratio (residence-based)": ElsMeta("housing_affordability", "House price to earnings ratio", "place", W, M, "ratio (house price ÷ earnings)"),
    "Residents within a 30 minute walk of their nearest library": ElsMeta("library_walk", "Within 30 min walk of a library", "place", B, P),
    "Modelled unemployment rate": ElsMeta("unemployment_modelled", "Unemployment (modelled)", "economy", W, P, status=Status.MODELLED),
    "Motor vehicle flow": ElsMeta("motor_vehicle_flow", "Motor vehicle flow", "environment", N, C),
    "museums": ElsMeta("museums", "Museums", "place", B, R, title="Museums"),
    "Net additions to the housing stock (England)": ElsMeta("net_additional_dwellings", "Net additional dwellings", "place", B, S),
    "4G coverage": ElsMeta("coverage_4g", "4G coverage", "place", B, P),
    "5G coverage": ElsMeta("coverage_5g", "5G coverage", "place", B, P),
    "Persistent absences for all pupils": ElsMeta("persistent_absence", "Persistent absence (all pupils)", "children and families", W, P),
    "Persistent absences for pupils eligible for free school meals": ElsMeta("persistent_absence_fsm", "Persistent absence (FSM pupils)", "children and families", W, P),
    "Persistent absences for pupils looked after by local authorities": ElsMeta("persistent_absence_cla", "Persistent absence (looked-after pupils)", "children and families", W, P),
    "Anxiety": ElsMeta("wellbeing_anxiety", "Anxiety", "health and wellbeing", W, M),
    "Happiness": ElsMeta("wellbeing_happiness", "Happiness", "health and wellbeing", B, M),
    "Satisfaction": ElsMeta("wellbeing_satisfaction", "Life satisfaction", "health and wellbeing", B, M),
    "Worthwhile": ElsMeta("wellbeing_worthwhile", "Feeling life is worthwhile", "health and wellbeing", B, M),
    "Premises below 30Mbps": ElsMeta("slow_broadband", "Premises below 30Mbps", "place", W, P),
    "Preventable cardiovascular mortality (England)": ElsMeta("cvd_preventable_mortality", "Preventable CVD mortality", "health and wellbeing", W, R),
    "Public electric vehicle chargers": ElsMeta("ev_chargers", "Public EV chargers", "environment", B, R),
    "Pupils meeting the expected standard in reading, writing and maths": ElsMeta("ks2_expected_standard", "KS2 expected standard", "children and families", B, P),
    "Level 3 or above qualifications (Great Britain)": ElsMeta("level3_qualifications", "Level 3+ qualifications", "economy", B, P),
    "No qualifications": ElsMeta("no_qualifications", "No qualifications", "economy", W, P),
    "Residents within a 30 minute walk of their nearest railway station": ElsMeta("station_walk", "Within 30 min walk of a station", "place", B, P),
    "Business expenditure on research and development": ElsMeta("rd_business", "Business R&D spend", "economy", B, M),
    "Public-funded expenditure on research and development": ElsMeta("rd_public", "Public R&D spend", "economy", B, M),
    "Average length of short-term let stay": ElsMeta("short_let_stay_length", "Short-term let stay length", "economy", N, M),
    "Number of guest nights at a short-term let": ElsMeta("short_let_guest_nights", "Short-term let guest nights", "economy", N, C),
    "Sports facilities": ElsMeta("sports_facilities", "Sports facilities", "place", B, R),
    "Supermarkets": ElsMeta("supermarkets", "Supermarkets", "place", N, R),
    "Value of UK exports": ElsMeta("exports_value", "Value of exports", "economy", B, M),
}
