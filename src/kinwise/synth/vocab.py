"""Word lists of the synthetic provider: names, relationships, medicines and phrases.

Every name here is invented; none belongs to a real person. Texts are short, plain and
written as staff would write them, so that pages and reports look as they will in use.
"""

from __future__ import annotations

from typing import Final

FIRST_NAMES: Final[tuple[str, ...]] = (
    "Aaron", "Abdul", "Ada", "Adam", "Aisha", "Alan", "Alice", "Amara", "Amir", "Amy",
    "Andrew", "Anita", "Ann", "Arjun", "Ava", "Ben", "Beth", "Bilal", "Bronwen", "Callum",
    "Carla", "Ceri", "Chen", "Chloe", "Chris", "Claire", "Connor", "Dafydd", "Daniel", "Dev",
    "Diane", "Dylan", "Efua", "Eleanor", "Eli", "Ellie", "Emeka", "Emily", "Eve", "Fatima",
    "Finn", "Fiona", "Gareth", "Grace", "Hamza", "Hannah", "Harry", "Hui", "Ibrahim", "Imani",
    "Isaac", "Isla", "Jack", "Jade", "Jamal", "James", "Jane", "Jay", "Jess", "Joel",
    "Josh", "Kai", "Karen", "Kasia", "Kemi", "Kofi", "Laila", "Leah", "Leon", "Lily",
    "Luca", "Lucy", "Maya", "Megan", "Mei", "Mo", "Nadia", "Naomi", "Nia", "Noah",
    "Olu", "Omar", "Owen", "Paul", "Priya", "Rachel", "Rhys", "Rosa", "Ruth", "Ryan",
    "Saanvi", "Sam", "Sara", "Sean", "Sian", "Simone", "Sophie", "Tariq", "Tom", "Zara",
)  # fmt: skip

SURNAMES: Final[tuple[str, ...]] = (
    "Adeyemi", "Ahmed", "Ali", "Allen", "Bailey", "Baker", "Banerjee", "Bell", "Brown",
    "Campbell", "Chen", "Clarke", "Cooper", "Davies", "Edwards", "Evans", "Fernandes",
    "Fisher", "Green", "Griffiths", "Hall", "Harris", "Hughes", "Hussain", "Jackson", "James",
    "Jones", "Kaur", "Khan", "King", "Kowalski", "Lee", "Lewis", "Mensah", "Mitchell",
    "Moore", "Morgan", "Murphy", "Nguyen", "Novak", "Okafor", "Owen", "Parry", "Patel",
    "Phillips", "Price", "Rahman", "Reid", "Roberts", "Robinson", "Scott", "Shah", "Singh",
    "Smith", "Taylor", "Thomas", "Thompson", "Turner", "Walker", "Ward", "Watson", "White",
    "Williams", "Wilson", "Wood", "Wright", "Yilmaz", "Young",
)  # fmt: skip

FAMILY_RELATIONSHIPS: Final[tuple[tuple[str, int], ...]] = (
    # relationship, weight
    ("mother", 30),
    ("father", 20),
    ("sister", 14),
    ("brother", 14),
    ("aunt", 6),
    ("uncle", 4),
    ("grandmother", 5),
    ("cousin", 4),
    ("stepmother", 3),
)

PROFESSIONAL_JOBS: Final[tuple[str, ...]] = (
    "GP",
    "social worker",
    "community learning disability nurse",
    "occupational therapist",
    "speech and language therapist",
    "psychiatrist",
    "community pharmacist",
    "physiotherapist",
)

COMMUNICATION_PROFILES: Final[tuple[tuple[tuple[str, ...], str | None, int], ...]] = (
    # methods, notes, weight
    (("verbal",), None, 30),
    (("verbal", "easy_read"), "Prefers short sentences and easy-read summaries.", 20),
    (("aac", "pictures"), "Uses a communication device; allow time to answer.", 10),
    (("makaton", "pictures"), "Signs in Makaton; staff on the team know his or her signs.", 10),
    (("talking_mats", "pictures"), "Talking Mats work best for bigger decisions.", 8),
    (("eye_gaze", "pictures"), "Eye-gaze board; yes and no by eye blink.", 6),
    (("bsl",), "British Sign Language; book an interpreter for reviews.", 4),
    (("observation", "pictures"), "Communicates through behaviour and expression.", 7),
    (("written", "verbal"), None, 5),
)

# name, doses per day, time critical, controlled, prn, route
MEDICINES: Final[tuple[tuple[str, float, bool, bool, bool, str], ...]] = (
    ("Levetiracetam 500 mg tablets", 2, True, False, False, "oral"),
    ("Sodium valproate 200 mg tablets", 2, True, False, False, "oral"),
    ("Lamotrigine 100 mg tablets", 2, True, False, False, "oral"),
    ("Buccal midazolam 10 mg", 0, True, True, True, "other"),
    ("Co-careldopa 25/100 mg tablets", 4, True, False, False, "oral"),
    ("Insulin glargine", 1, True, False, False, "injection"),
    ("Metformin 500 mg tablets", 2, False, False, False, "oral"),
    ("Sertraline 50 mg tablets", 1, False, False, False, "oral"),
    ("Risperidone 1 mg tablets", 2, False, False, False, "oral"),
    ("Macrogol oral powder sachets", 1, False, False, False, "oral"),
    ("Lactulose oral solution", 2, False, False, False, "oral"),
    ("Paracetamol 500 mg tablets", 0, False, False, True, "oral"),
    ("Salbutamol inhaler", 0, False, False, True, "inhaled"),
    ("Beclometasone inhaler", 2, False, False, False, "inhaled"),
    ("Emollient cream", 2, False, False, False, "topical"),
    ("Omeprazole 20 mg capsules", 1, False, False, False, "oral"),
    ("Thickened fluids via PEG", 4, False, False, False, "enteral"),
    ("Morphine sulfate oral solution", 0, False, True, True, "oral"),
    ("Melatonin 2 mg tablets", 1, False, False, False, "oral"),
    ("Levothyroxine 50 microgram tablets", 1, True, False, False, "oral"),
)

ACTIVITIES: Final[dict[str, tuple[str, ...]]] = {
    "mobility_outdoors": (
        "Going to the local shop alone",
        "Using the bus to the day centre",
        "Using a powered wheelchair outdoors",
        "Walking to the park with a friend",
        "Travelling by train to visit family",
    ),
    "daily_living": (
        "Cooking a hot meal independently",
        "Using the kettle and hob",
        "Doing own laundry",
        "Staying at home alone for an afternoon",
    ),
    "personal_care": (
        "Bathing without staff in the room",
        "Shaving with a razor",
    ),
    "relationships": (
        "Meeting a new partner in town",
        "Using social media and dating apps",
        "Overnight stay at a friend's flat",
    ),
    "finances_daily": ("Carrying a bank card and cash",),
}

HAZARDS: Final[dict[str, tuple[tuple[str, tuple[str, ...]], ...]]] = {
    "mobility_outdoors": (
        ("Road traffic at crossings", ("Route uses light-controlled crossings", "Practised with staff")),
        ("Getting lost", ("Phone with location sharing", "Laminated route card")),
        ("Falls on uneven ground", ("Well-fitting footwear", "Route avoids the towpath")),
        ("Exploitation by strangers", ("Agreed check-in times", "Knows to go to a safe shop")),
    ),
    "daily_living": (
        ("Burns from the hob", ("Induction hob with auto cut-off", "Oven gloves within reach")),
        ("Scalds from the kettle", ("Kettle tipper fitted",)),
        ("Forgetting to eat", ("Picture prompts on the fridge",)),
    ),
    "personal_care": (
        ("Scalding in the bath", ("Thermostatic mixer valve",)),
        ("Seizure in the bath", ("Bath alarm", "Staff check every five minutes")),
    ),
    "relationships": (
        ("Financial exploitation", ("Agreed spending limit", "Talks it through with a keyworker")),
        ("Sexual exploitation", ("Relationships and consent sessions",)),
    ),
    "finances_daily": (
        ("Losing the card", ("Card on a lanyard", "Low daily limit")),
    ),
}  # fmt: skip

DECISION_OUTCOMES: Final[dict[str, tuple[str, ...]]] = {
    "medication": (
        "Keep the current regimen; review with the GP in six months",
        "Move to a blister pack to reduce missed doses",
        "Ask the pharmacist for a liquid form",
    ),
    "health_treatment": (
        "Book the annual health check",
        "Refer to physiotherapy again",
        "Try the dental desensitisation programme",
    ),
    "personal_care": (
        "Two staff for bathing, one for dressing",
        "Move to a shower with a seat",
    ),
    "mobility_outdoors": (
        "Continue the travel plan with fortnightly reviews",
        "Start a graded trial of the bus route",
        "Keep accompanied trips for now",
    ),
    "daily_living": (
        "Cook twice a week with a keyworker",
        "Add a Friday at the day centre",
        "Try a supported job placement",
    ),
    "relationships": (
        "Support visits to a partner twice a week",
        "Join the Thursday social group",
    ),
    "accommodation": (
        "Stay at the current flat; look at the new scheme next year",
        "Visit two supported-living schemes",
    ),
    "information_sharing": ("Share the health action plan with the family",),
    "finances_daily": (
        "Weekly budget of fifty pounds managed with staff",
        "Open a basic bank account",
    ),
    "finances_major": ("Keep the savings in the current account",),
}

PERSON_SAYS: Final[tuple[str, ...]] = (
    "I like my flat and my keyworker.",
    "I want to go out on my own more.",
    "I don't like the new bath.",
    "I want to see my friends on Saturdays.",
    "I want to cook my own tea.",
    "I don't want the tablets at night.",
    "I want a job at the cafe.",
    "I am happy with how things are.",
    "I want to choose my own clothes.",
    "I want to visit my sister more.",
)

FAMILY_SAYS: Final[tuple[str, ...]] = (
    "I worry about the roads near the shop.",
    "We would like more notice of changes.",
    "She has always liked routine; please keep it.",
    "He gets anxious when staff change.",
    "I'm happy with the support at the moment.",
    "I think the medication makes him tired.",
    "We can help with transport on weekends.",
)

FAMILY_SAYS_FOR_PERSON: Final[tuple[str, ...]] = (
    "She doesn't want to go out on her own.",
    "He doesn't like the day centre any more.",
    "She would rather stay at home at weekends.",
    "He doesn't want physiotherapy.",
    "She is happy for me to handle her money.",
)

STAFF_SAYS: Final[tuple[str, ...]] = (
    "The daily notes show good weeks since the last review.",
    "We could try a graded approach with support first.",
    "The team has had training on the new communication board.",
    "The GP has asked for a blood test before any change.",
    "There have been no missed doses since the blister pack.",
)

VOICE_SUMMARIES: Final[tuple[str, ...]] = (
    "Said they enjoyed the trip to the market and want to go again.",
    "Chose the green top and the pasta from the pictures offered.",
    "Indicated 'no' to the evening bath and 'yes' to a morning shower.",
    "Pointed to the bus picture when asked about going to the day centre.",
    "Said they want to see friends more often.",
    "Smiled and relaxed during music; pushed away the tablet cup at 10pm.",
    "Asked to keep the same keyworker.",
    "Said they would like to try cooking on their own.",
    "Said they do not want their brother told about money matters.",
    "Used the talking mat to put 'college' under 'like'.",
)

INCIDENT_TEXTS: Final[dict[str, tuple[str, ...]]] = {
    "medication": ("Evening dose given an hour late.", "Missed lunchtime dose; GP advice taken."),
    "health_treatment": ("Refused a blood test; rebooked.",),
    "personal_care": ("Slipped in the bathroom; no injury.", "Red mark found on the left arm."),
    "mobility_outdoors": (
        "Got off the bus at the wrong stop; phoned staff.",
        "Fell on the kerb outside the shop; grazed knee.",
    ),
    "daily_living": ("Pan left on the hob; smoke alarm sounded.", "Minor burn on the hand."),
    "relationships": ("Gave a new acquaintance forty pounds.", "Argument with a housemate."),
    "finances_daily": ("Bank card lost in town.", "Cash missing from the wallet."),
}

EVENT_TEXTS: Final[dict[str, str]] = {
    "needs_change": "Needs more support after a change in mobility.",
    "diagnosis": "New diagnosis following a hospital appointment.",
    "hospital_discharge": "Discharged home after a short hospital stay.",
    "medication_change": "Medication changed by the GP.",
    "capacity_change": "Team noticed a change in understanding; capacity to be reviewed.",
    "complaint": "Family raised a complaint about communication.",
    "safeguarding_concern": "Concern raised about possible financial abuse.",
}

DECISION_WORDING: Final[dict[str, str]] = {
    "medication": "Whether to take the prescribed medication",
    "health_treatment": "Whether to have the recommended treatment",
    "personal_care": "How personal care is given",
    "mobility_outdoors": "Whether to go out without staff",
    "daily_living": "How to spend the day",
    "relationships": "Who to have relationships with",
    "accommodation": "Where to live",
    "information_sharing": "Who may see personal information",
    "finances_daily": "How to manage day-to-day money",
    "finances_major": "Whether to make a major purchase or investment",
}

# Format version 2's records (docs/spec/casefile-v2.md).
FAMILY_VIEWS: Final[tuple[str, ...]] = (
    "I would like the review to look again at the evening routine.",
    "We worry about travelling alone after dark.",
    "He seems happier since the new keyworker started.",
    "We would like more notice of meetings.",
)
GOALS: Final[tuple[str, ...]] = (
    "I want to cook my own tea on Fridays.",
    "I want to go to the shop on my own.",
    "I want to see my friends at the club every week.",
    "I want to choose my own clothes.",
)
