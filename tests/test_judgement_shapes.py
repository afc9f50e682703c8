"""The shapes real policies are written in, each read the way a careful reader reads it.

Every sentence here is written for these tests (invented towns: Harlow Falls, Quinnet,
Marrow Bay), in the shapes found in real ordinances, votes, general orders and templates
(see tests/corpus/ for the real texts those shapes come from).
"""

from __future__ import annotations

import pytest

from policy_redline.analysis import analyze_document
from policy_redline.ingest import read_bytes


def verdicts(text: str) -> dict[str, str]:
    doc = read_bytes(text.encode("utf-8"), "shape.txt", "txt")
    card = analyze_document(doc).scorecard
    return {f.question: f.verdict for f in card.findings}


def evidence(text: str, question: str) -> list[str]:
    doc = read_bytes(text.encode("utf-8"), "shape.txt", "txt")
    return [e.text for e in analyze_document(doc).scorecard.finding(question).evidence]


# --- ordinance and vote language -------------------------------------------------------------


def test_a_town_vote_that_bars_287g_agreements_is_a_ban():
    text = (
        "VOTED: The Town of Harlow Falls and its Police Department shall not enter into any memorandum, "
        "contract or other agreement, written or oral, under section 287(g) of the Immigration and Nationality Act.\n"
    )
    assert verdicts(text)["agreements_287g"] == "green"


def test_1357g_names_287g():
    assert verdicts("The Quinnet Police Department shall not sign any agreement under 8 U.S.C. § 1357(g).\n")["agreements_287g"] == "green"


def test_acting_under_an_agreement_is_barred_too():
    text = "No officer of the Marrow Bay Police Department shall act under any agreement made pursuant to section 287(g).\n"
    assert verdicts(text)["agreements_287g"] == "green"


def test_refraining_from_these_agreements_reads_back_to_the_287g_named_before():
    text = (
        "Section 287(g) of the Immigration and Nationality Act lets local agencies sign agreements with ICE.\n\n"
        "The Harlow Falls Police Department will refrain from entering into these agreements.\n"
    )
    assert verdicts(text)["agreements_287g"] == "green"


def test_no_officer_shall_be_authorized_to_perform_immigration_functions():
    text = "No officer or other personnel of the Town shall be authorized to perform the functions of an immigration officer.\n"
    assert verdicts(text)["agreements_287g"] == "green"


def test_no_agency_or_agent_shall_detain_on_a_detainer():
    text = "No agency or agent of the City of Quinnet shall detain or continue to detain a person on the basis of an immigration detainer.\n"
    assert verdicts(text)["lunn"] == "green"


# --- lists whose lead-in carries the negation -------------------------------------------------


def test_a_negative_lead_in_governs_every_item():
    text = (
        "No officer of the Marrow Bay Police Department shall:\n\n"
        "(1) ask any person about his or her immigration status;\n\n"
        "(2) share information about any person with Immigration and Customs Enforcement; or\n\n"
        "(3) detain a person on the basis of a civil immigration detainer.\n"
    )
    v = verdicts(text)
    assert (v["status_checks"], v["info_sharing"], v["lunn"]) == ("green", "green", "green")


def test_an_inline_list_is_read_item_by_item():
    text = "Officers shall not: (a) inquire into immigration status; (b) notify ICE of any release date.\n"
    v = verdicts(text)
    assert (v["status_checks"], v["info_sharing"]) == ("green", "green")


def test_a_long_sentence_keeps_its_negation():
    text = (
        "No member of the Harlow Falls Police Department, whether sworn or civilian, on duty or off duty, "
        "shall for any reason share with, provide to, or otherwise make available to federal immigration "
        "authorities any information about a person's release date.\n"
    )
    assert verdicts(text)["info_sharing"] == "green"


# --- word forms, negating verbs, statements without a modal ---------------------------------


@pytest.mark.parametrize(
    ("sentence", "question"),
    [
        ("No person shall be asked about his or her immigration status by an officer of the Department.", "status_checks"),
        ("Officers are prohibited from asking about a person's immigration status.", "status_checks"),
        ("If ICE asks for a person's release date, no officer shall provide it.", "info_sharing"),
    ],
)
def test_word_forms_of_asking(sentence, question):
    assert verdicts(sentence + "\n")[question] == "green"


@pytest.mark.parametrize(
    "sentence",
    [
        "Officers shall refrain from assisting Immigration and Customs Enforcement in any enforcement operation.",
        "Officers are prohibited from assisting federal immigration agents in civil immigration enforcement.",
        "Officers are not authorized to assist ICE with civil immigration enforcement.",
        "The Department shall decline to assist federal immigration officials with civil immigration enforcement.",
    ],
)
def test_negating_verbs_forbid(sentence):
    assert verdicts(sentence + "\n")["raids"] == "green"


def test_a_policy_statement_to_help_immigration_agents_is_red():
    text = "It is the policy of the Quinnet Police Department to help federal immigration agents when they ask.\n"
    assert verdicts(text)["raids"] == "red"


def test_every_effort_to_assist_when_ice_asks_is_red():
    text = "When ICE requests assistance with civil immigration enforcement, the Department will make every effort to assist.\n"
    v = verdicts(text)
    assert v["raids"] == "red" and v["resources"] == "red"


def test_a_policy_not_to_inquire_is_green():
    text = "It is the policy of the Marrow Bay Police Department to not inquire about the immigration status of any person.\n"
    assert verdicts(text)["status_checks"] == "green"


# --- exceptions that swallow the rule --------------------------------------------------------


def test_an_exception_for_what_the_law_requires_keeps_the_rule():
    assert verdicts("No officer shall share information with ICE except as required by federal law.\n")["info_sharing"] == "green"


def test_a_felony_exception_swallows_the_rule():
    text = "No officer shall share information with ICE unless the person has been convicted of a felony.\n"
    assert verdicts(text)["info_sharing"] == "red"


def test_this_section_shall_not_apply_to_people_convicted_of_a_felony():
    text = (
        "No agency or agent shall detain a person on the basis of an immigration detainer.\n\n"
        "This section shall not apply when the person has been convicted of a felony in any court.\n"
    )
    assert verdicts(text)["lunn"] == "red"


def test_absent_a_separate_law_enforcement_reason():
    text = "Officers shall not detain a person on an immigration detainer absent a separate law enforcement reason.\n"
    assert verdicts(text)["lunn"] == "red"


def test_with_the_exceptions_listed_below():
    text = "Officers shall not ask about immigration status, with the exceptions listed below.\n"
    assert verdicts(text)["status_checks"] == "red"


def test_shall_not_routinely_inquire():
    assert verdicts("Officers shall not routinely inquire into a person's immigration status.\n")["status_checks"] == "red"


def test_a_permission_with_a_list_of_reasons_is_red():
    text = "An officer may look into a person's immigration status if it helps investigate a state crime or a traffic offence, or if a supervisor agrees.\n"
    assert verdicts(text)["status_checks"] == "red"


def test_only_if_a_judicial_warrant_is_green():
    text = "The Department may honor an immigration detainer only if it is accompanied by a judicial warrant.\n"
    assert verdicts(text)["lunn"] == "green"


# --- red language the rubric does not quote -------------------------------------------------


def test_the_full_extent_disclaimer_is_red():
    text = "Nothing in this order shall limit the enforcement of federal immigration laws to less than the full extent permitted by federal law.\n"
    assert verdicts(text)["resources"] == "red"


def test_a_1373_paraphrase_protecting_sharing_is_red():
    text = "No member of the Quinnet Police Department shall restrict any other member from sending information about immigration status to federal immigration officials.\n"
    assert verdicts(text)["info_sharing"] == "red"


def test_cooperating_with_immigration_authorities_is_red():
    assert verdicts("Officers shall cooperate with immigration authorities in their enforcement operations.\n")["raids"] == "red"


def test_fingerprints_made_available_to_federal_authorities():
    text = "Fingerprints taken at booking shall be made available to federal immigration authorities.\n"
    assert verdicts(text)["info_sharing"] == "red"


def test_holding_people_on_detainers_is_red():
    assert verdicts("The jail shall hold people so charged on immigration detainers for up to 48 hours.\n")["lunn"] == "red"


def test_a_287g_agreement_itself_is_red_on_four_questions():
    text = (
        "This Memorandum of Agreement sets out the terms under which ICE delegates authority to the Harlow Falls "
        "Sheriff's Office under section 287(g) of the Immigration and Nationality Act.\n\n"
        "ICE authorizes up to ten nominated, trained and certified sheriff's office personnel to perform certain "
        "immigration enforcement functions.\n"
    )
    v = verdicts(text)
    assert [v[q] for q in ("status_checks", "info_sharing", "resources", "agreements_287g")] == ["red"] * 4


# --- only operative provisions earn a flag ---------------------------------------------------


def test_definitions_whereas_and_titles_earn_nothing():
    text = (
        "AN ORDINANCE RELATIVE TO IMMIGRATION DETAINERS\n\n"
        "WHEREAS, ICE may ask local police to hold people for up to 48 hours on a civil immigration detainer; and\n\n"
        "WHEREAS, the City finds that honoring detainers erodes public trust;\n\n"
        "Section 1. Definitions.\n\n"
        '"Civil immigration detainer" means a request that a law enforcement agency hold a person in custody.\n\n'
        "Reference: 8 U.S.C. § 1357(g); 8 C.F.R. § 287.7.\n"
    )
    v = verdicts(text)
    assert v["lunn"] == "silent" and v["agreements_287g"] == "silent" and v["info_sharing"] == "silent"


def test_a_bare_lunn_citation_is_not_the_green_flag():
    text = "Officers shall be trained on Lunn v. Commonwealth, 477 Mass. 517 (2017).\n"
    assert verdicts(text)["lunn"] != "green"


def test_a_savings_clause_for_1373_is_not_red():
    text = (
        "No officer shall share information with ICE except as required by law.\n\n"
        "Nothing in this ordinance prohibits any officer from sending information regarding citizenship or "
        "immigration status to federal authorities as required by 8 U.S.C. § 1373.\n"
    )
    assert verdicts(text)["info_sharing"] == "green"


def test_unclear_quotes_the_sentence_instead_of_saying_silent():
    text = "The Chief shall keep the public informed of immigration status matters as the Chief sees fit.\n"
    v = verdicts(text)
    assert v["status_checks"] == "unclear"
    assert evidence(text, "status_checks") == [text.strip()]


def test_a_law_forbidding_sanctuary_policies_makes_each_defined_restriction_red():
    text = (
        '(a) "Sanctuary policy" means a rule or practice of the Town of Marrow Bay that prohibits or impedes any officer from:\n\n'
        "(1) communicating with a federal immigration agency;\n\n"
        "(2) complying with an immigration detainer; or\n\n"
        "(3) participating in any agreement authorized under 8 U.S.C. § 1357(g).\n\n"
        "(b) The Town may not adopt or have in effect a sanctuary policy.\n"
    )
    v = verdicts(text)
    assert (v["info_sharing"], v["lunn"], v["agreements_287g"]) == ("red", "red", "red")


def test_the_same_definition_in_a_law_that_does_not_forbid_it_earns_nothing():
    text = (
        '"Sanctuary policy" means a rule of the Town of Marrow Bay that prohibits any officer from:\n\n'
        "(1) communicating with a federal immigration agency.\n"
    )
    assert verdicts(text)["info_sharing"] == "silent"


# --- shapes met growing the corpus past sixty texts ---------------------------------------------


def test_a_list_labelled_specifically_still_carries_the_lead_in():
    # "(A) Generally. The Board … directs staff as follows. (B) Specifically. (1) … (2) …"
    text = (
        "§ 12.04 NONCITIZEN RESIDENTS.\n"
        "(A) Generally. The Quinnet County Board directs county staff as follows.\n"
        "(B) Specifically.\n"
        "(1) To reduce spending on programs that are not mandated;\n"
        "(2) To ask the Sheriff to check the immigration status of every person arrested, by fingerprints and other data;\n"
    )
    assert verdicts(text)["status_checks"] == "red"


def test_a_later_section_is_not_an_item_of_the_list_before_it():
    text = (
        "39 No officer of the Harlow Falls Police Department shall:\n\n"
        "(1) permit ICE agents to interview a person in custody without a criminal warrant;\n\n"
        "40 When ICE sends a detainer for a person in custody, the officer in charge shall tell the person "
        "about the detainer and give them a copy.\n"
    )
    assert verdicts(text)["detainers"] == "green"


def test_a_traffic_perimeter_exception_keeps_the_peace_and_does_not_swallow_the_rule():
    text = (
        "No officer of the Marrow Bay Police Department may take part in an operation led by a federal agency "
        "to detain persons for deportation, except in response to a request to assist with officer safety or "
        "a breach of the peace, such as requests to set up traffic perimeters.\n"
    )
    found = verdicts(text)
    assert found["raids"] == "green" and found["lunn"] == "green"


def test_a_traffic_offence_as_a_reason_to_check_status_swallows_the_rule():
    text = (
        "Harlow Falls officers shall not inquire about a person's immigration status, except when the person "
        "is stopped for a traffic violation.\n"
    )
    assert verdicts(text)["status_checks"] == "red"


def test_holding_for_deportation_is_holding_for_immigration_purposes():
    text = "The Quinnet County Sheriff may detain for deportation any person identified as unlawfully present.\n"
    assert verdicts(text)["lunn"] == "red"


def test_no_detention_solely_on_the_belief_of_unlawful_presence_with_a_reasonable_time_exception_is_red():
    text = (
        "Except for a reasonable time needed to finish an investigation, Marrow Bay officers will not:\n"
        "1. arrest or detain a person solely on the belief that the person is not present legally in the United States.\n"
    )
    assert verdicts(text)["lunn"] == "red"


def test_a_condition_naming_civil_immigration_law_swallows_a_permission():
    text = (
        "Harlow Falls officers may inquire into a person's immigration status if there is a connection "
        "between that information and an investigation into a violation of federal civil immigration law.\n"
    )
    assert verdicts(text)["status_checks"] == "red"


def test_except_as_set_forth_in_this_policy_hands_the_rule_to_its_exceptions():
    text = "No person shall be held solely on the basis of immigration status except as set forth in this policy.\n"
    assert verdicts(text)["lunn"] == "red"


def test_an_anti_sanctuary_bill_that_forbids_restricting_collaboration_is_red_on_resources():
    text = (
        "NO MUNICIPALITY OR ITS EMPLOYEES, INCLUDING LAW ENFORCEMENT OFFICERS, SHALL PREVENT OR INHIBIT ANY "
        "COLLABORATION WITH FEDERAL AGENCIES FOR THE PURPOSES OF FEDERAL IMMIGRATION ENFORCEMENT.\n"
    )
    assert verdicts(text)["resources"] == "red"


def test_a_bill_that_forbids_prohibiting_detainer_compliance_shows_the_detainer_gap():
    # the detainer is named only in a list item under the lead-in; the gap still shows
    text = (
        "No county or town of this state shall adopt any rule or policy prohibiting or restricting:\n"
        "(a) the compliance with a detainer request issued by a federal agency; or\n"
        "(b) the ability of federal immigration officers to enter and conduct enforcement activities at a county jail.\n"
    )
    found = verdicts(text)
    assert found["detainers"] == "red" and found["lunn"] == "red" and found["resources"] == "red"


def test_holding_for_48_hours_at_ices_request_is_a_detainer_and_a_service_to_ice():
    text = (
        "A county that runs a jail shall, if requested by federal immigration authorities:\n"
        "(i) detain an individual for up to 48 hours to facilitate the transfer of the individual to federal immigration authorities; and\n"
        "(ii) transfer the individual to federal immigration authorities.\n"
    )
    found = verdicts(text)
    assert found["detainers"] == "red" and found["resources"] == "red" and found["lunn"] == "red"


def test_no_office_or_booth_for_ice_is_a_limit_on_resources():
    text = (
        "Absent a judicial warrant, the Town of Harlow Falls shall not provide to any federal immigration agency "
        "an office, booth, or any facility or equipment for a search of people in its custody.\n"
    )
    assert verdicts(text)["resources"] == "green"


def test_access_to_interview_people_in_custody_is_a_service_to_ice():
    text = (
        "Quinnet police may give federal immigration authorities access to interview individuals about a civil "
        "immigration matter while they are in custody.\n"
    )
    assert verdicts(text)["resources"] == "red"


def test_no_joint_efforts_with_immigration_authorities_is_green_on_raids():
    text = (
        "The Marrow Bay campus police will not undertake joint efforts with federal immigration enforcement "
        "authorities to investigate, detain or arrest individuals for violations of federal immigration law.\n"
    )
    assert verdicts(text)["raids"] == "green"


def test_detention_of_a_person_whose_only_violation_is_immigration_status_with_a_felony_exception_is_red():
    text = (
        "A law enforcement agency of this state shall not detain persons otherwise eligible for release whose only "
        "violation of law is that they reside in the United States in violation of federal immigration laws; unless "
        "such person has been convicted of a violent felony.\n"
    )
    assert verdicts(text)["lunn"] == "red"


def test_an_opening_phrase_before_a_negative_subject_keeps_the_negation():
    text = (
        "In accordance with the state constitution, no county, city or town, or any agency thereof, shall adopt "
        "any rule or policy, formally or informally, prohibiting or inhibiting the compliance with a detainer "
        "request issued by a federal agency.\n"
    )
    assert verdicts(text)["lunn"] == "red"


def test_a_bills_title_paragraph_earns_nothing():
    text = (
        "AN ACT concerning Public Safety – Immigration Enforcement Agreements – Prohibition FOR the purpose of "
        "prohibiting the State or a county sheriff from entering into a certain immigration enforcement agreement; "
        "and generally relating to immigration enforcement.\n"
    )
    assert verdicts(text)["agreements_287g"] == "silent"


def test_detainers_still_enforced_on_carve_outs_is_red_on_lunn():
    text = (
        "ICE detainers will still be honored by the Harlow Falls Police Department if the person has been "
        "convicted of a violent felony or is subject to a criminal warrant.\n"
    )
    assert verdicts(text)["lunn"] == "red"


def test_forbidding_a_town_to_prohibit_enforcement_of_immigration_laws_is_red_on_resources():
    text = (
        "A town may not adopt a rule, order, ordinance, or policy under which the town prohibits the enforcement "
        "of the laws of this state or federal law relating to immigrants or immigration.\n"
    )
    assert verdicts(text)["resources"] == "red"


def test_cooperating_with_a_federal_immigration_officer_is_not_a_287g_topic():
    text = (
        "A Quinnet police officer may not assist or cooperate with a federal immigration officer at a school "
        "or a place of worship.\n"
    )
    assert verdicts(text)["agreements_287g"] == "silent"


# --- shapes from the third held-out set (after its first measurement) -------------------------


def test_nor_will_starts_a_second_prohibition():
    text = (
        "The Quinnet County Sheriff will not honor voluntary detainer requests nor will the Sheriff's Office "
        "assist ICE in immigration enforcement raids.\n"
    )
    assert verdicts(text)["raids"] == "green"


def test_a_bulleted_cannot_under_a_subject_lead_in_forbids():
    text = (
        "Under the directive, Harlow Falls police officers:\n\n"
        "  • Cannot ask the immigration status of any individual, unless doing so is necessary to the ongoing "
        "investigation of a serious offense.\n"
    )
    assert verdicts(text)["status_checks"] == "green"


def test_no_authority_to_take_people_into_custody_for_civil_matters_follows_lunn():
    text = "Marrow Bay officers do not have authority to take persons into custody for civil immigration matters.\n"
    assert verdicts(text)["lunn"] == "green"


def test_agents_not_permitted_to_enter_private_spaces_without_a_court_order_is_green_on_raids():
    text = "Immigration agents are not permitted to enter private spaces of the Quinnet campus without a court order.\n"
    assert verdicts(text)["raids"] == "green"


def test_consulting_counsel_when_ice_tries_to_enter_is_not_permission():
    text = (
        "The principal will consult counsel when ICE attempts to enter school property. Immigration agents will "
        "be refused entry to school property unless they present a warrant signed by a judge.\n"
    )
    assert verdicts(text)["raids"] == "green"


def test_officers_are_not_offices_for_ice():
    text = (
        "The directive limits the voluntary assistance that Harlow Falls officers may provide to federal "
        "immigration authorities and applies to police officers and correctional officers.\n"
    )
    assert verdicts(text)["resources"] != "red"


def test_telling_the_person_in_advance_of_responding_to_ice_is_not_sharing():
    text = (
        "Upon receipt of a civil immigration detainer, the Quinnet Police Department shall promptly notify the "
        "person and counsel, and inform them reasonably in advance of responding to the federal immigration "
        "authority whether the department intends to comply.\n"
    )
    assert verdicts(text)["info_sharing"] != "red"


def test_a_judicial_warrant_before_detaining_at_ices_request_follows_lunn():
    text = (
        "Every Harlow Falls official shall require a judicial warrant prior to prolonging the detention of an "
        "individual at the request of ICE.\n"
    )
    assert verdicts(text)["lunn"] == "green"


def test_cooperating_with_requests_from_ice_is_sharing():
    text = "The Marrow Bay Police Department will only cooperate with lawful requests from ICE under the following circumstances.\n"
    assert verdicts(text)["info_sharing"] == "red"


def test_an_exception_in_the_lead_in_does_not_swallow_the_items_words():
    # "except in limited circumstances, officers: • cannot … based solely on suspected status"
    text = (
        "Under the new rules, except in limited circumstances, Harlow Falls police officers:\n\n"
        "  • Cannot stop, question, arrest, or detain any individual based solely on actual or suspected immigration status.\n"
    )
    assert verdicts(text)["lunn"] != "red"


def test_an_unless_list_is_read_item_by_item():
    text = (
        "A Quinnet officer shall not inquire about a person's immigration status, unless:\n"
        "(1) the person is booked into a detention facility; or\n"
        "(2) the inquiry is required by a court order.\n"
    )
    assert verdicts(text)["status_checks"] == "red"


def test_a_prohibition_that_does_not_preclude_cooperating_with_ice_permits_it():
    text = (
        "Harlow Falls officers shall not undertake immigration-related investigations. This prohibition does not "
        "preclude the department from cooperating with federal immigration officials.\n"
    )
    found = verdicts(text)
    assert found["raids"] == "red" and found["resources"] == "red"


def test_recitals_run_together_with_semicolons_earn_nothing():
    # a hard-wrapped text file of an ordinance whose caption runs into its recitals
    text = (
        "QUINNET TRUST ACT WHEREAS, The Town seeks to ensure that all immigrants take part in civic life; and\n"
        "WHEREAS, ICE issues civil immigration detainer requests which allow for prolonged detention\n"
        "while ICE investigates the immigration status of people in local custody; and WHEREAS, honoring\n"
        "detainer requests erodes trust; NOW THEREFORE, be it ordained by the Town Council, as follows\n"
    )
    assert set(verdicts(text).values()) == {"silent"}


def test_a_long_lead_in_carries_its_prohibition_to_a_bare_noun_item():
    text = (
        "No agency or agent of the Town of Harlow Falls shall stop, arrest, detain, or continue to detain a person "
        "after that person becomes eligible for release from custody or is free to leave an encounter, based on any "
        "of the following:\n(1) An immigration detainer;\n(2) An administrative warrant.\n"
    )
    assert verdicts(text)["lunn"] == "green"


def test_an_order_after_a_colon_has_one_negation_in_its_subject():
    text = (
        "NOW, THEREFORE, I, the Mayor of Harlow Falls, do hereby order as follows: No person in the custody of "
        "the Town who otherwise would be released from custody shall be detained pursuant to an ICE civil "
        "immigration detainer request.\n"
    )
    assert verdicts(text)["lunn"] == "green"


def test_releasing_from_custody_is_not_a_transfer_to_ice():
    text = (
        "A person who would be released from custody shall not be held pursuant to an ICE civil immigration "
        "detainer request in Quinnet.\n"
    )
    assert verdicts(text)["lunn"] == "green"


def test_a_bill_forbidding_a_policy_not_to_enforce_laws_relating_to_immigration_is_red_on_resources():
    text = (
        "A municipality or a sheriff may not adopt a policy under which the entity will not fully enforce the laws "
        "of this state or federal law relating to:\n(1) drugs; or\n(2) immigrants or immigration.\n"
    )
    assert verdicts(text)["resources"] == "red"


def test_reporting_a_person_to_immigration_services_is_sharing():
    text = (
        "If a Harlow Falls officer has probable cause to believe the person has violated federal immigration law, "
        "the officer may:\n(1) identify and report the person to United States Citizenship and Immigration Services; or\n"
        "(2) hold the person for a state charge.\n"
    )
    assert verdicts(text)["info_sharing"] == "red"


def test_a_bills_digest_of_existing_law_earns_nothing():
    text = (
        "Existing law provides that a peace officer may not detain a witness to a hate crime exclusively for an "
        "actual or suspected immigration violation or report the witness to federal immigration authorities. "
        "This bill would prohibit state and local law enforcement agencies from using money or personnel for "
        "immigration enforcement.\n"
    )
    assert set(verdicts(text).values()) == {"silent"}


# --- state statutes: the shapes of heldout5 (real sentences, quoted from the statute) -------


def test_as_provided_in_a_federal_section_provides_nothing_but_names_the_agreement():
    # Code of Alabama § 31-13-4(a): the 287(g) citation is not information given to DHS
    text = (
        "(a) The Attorney General shall attempt to negotiate the terms of a memorandum of agreement between the "
        "State of Alabama and the United States Department of Homeland Security, as provided in 8 U.S.C. Section "
        "1357(g), concerning the enforcement of federal immigration laws, detentions and removals, and related "
        "investigations in the State of Alabama by certain state law enforcement officers designated by the "
        "Attorney General.\n"
    )
    found = verdicts(text)
    assert found["info_sharing"] == "silent"
    # a memorandum of agreement "as provided in" § 1357(g) is a 287(g) agreement the State seeks
    assert found["agreements_287g"] == "red"


def test_a_ban_on_sharing_release_dates_unless_ice_asks_is_swallowed():
    # California Government Code § 7284.6(a)(1)(C) (SB 54): the exception is every ICE request
    text = (
        "7284.6. (a) California law enforcement agencies shall not: (1) Use agency or department moneys or "
        "personnel to investigate, interrogate, detain, detect, or arrest persons for immigration enforcement "
        "purposes, including any of the following: (A) Inquiring into an individual's immigration status. "
        "(C) Providing information regarding a person's release date or responding to requests for notification by "
        "providing release dates or other information unless that information is available to the public, or is in "
        "response to a notification request from immigration authorities in accordance with Section 7282.5.\n"
    )
    assert verdicts(text)["info_sharing"] == "red"
    assert "notification request" in evidence(text, "info_sharing")[0]


def test_an_exception_for_an_ice_request_with_a_judicial_warrant_keeps_the_rule():
    # the same shape, where ICE's request must come with a judge's warrant: the law's floor
    text = (
        "Officers shall not provide release dates to immigration authorities unless the request from immigration "
        "authorities is accompanied by a judicial warrant.\n"
    )
    assert verdicts(text)["info_sharing"] == "green"


def test_holds_immigration_officials_place_are_not_the_jails_holds():
    # Sutter County Sheriff's Office jail policy J150.90: the subject is ICE, not the jail
    text = (
        "Immigration officials will screen foreign-born arrestees for immigration status and may place immigration "
        "holds on those arrestees.\n"
    )
    assert verdicts(text)["lunn"] != "red"
    assert verdicts("The jail may place immigration holds on foreign-born arrestees.\n")["lunn"] == "red"


_SB54_7284_6 = (
    "7284.6. (a) California law enforcement agencies shall not: (1) Use agency or department moneys or personnel "
    "to investigate, interrogate, detain, detect, or arrest persons for immigration enforcement purposes, including "
    "any of the following: (A) Inquiring into an individual's immigration status. (B) Detaining an individual on the "
    "basis of a hold request. (C) Providing information regarding a person's release date or responding to requests "
    "for notification by providing release dates or other information unless that information is available to the "
    "public, or is in response to a notification request from immigration authorities in accordance with Section "
    "7282.5. Responses are never required, but are permitted under this subdivision, provided that they do not "
    "violate any local law or policy. (G) Performing the functions of an immigration officer, whether pursuant to "
    "Section 1357(g) of Title 8 of the United States Code or any other law, regulation, or policy, whether formal or "
    "informal. (4) Transfer an individual to immigration authorities unless authorized by a judicial warrant or "
    "judicial probable cause determination, or in accordance with Section 7282.5."
)
_SB54_7282_5 = (
    "7282.5. (a) A law enforcement official shall have discretion to cooperate with immigration authorities only if "
    "doing so would not violate any federal, state, or local law, or local policy. Additionally, the specific "
    "activities described in subparagraph (C) of paragraph (1) of subdivision (a) of, and in paragraph (4) of "
    "subdivision (a) of, Section 7284.6 shall only occur under the following circumstances: (1) The individual has "
    "been convicted of a serious or violent felony identified in subdivision (c) of Section 1192.7 of, or "
    "subdivision (c) of Section 667.5 of, the Penal Code. "
)


def test_a_sentence_inside_an_item_does_not_end_the_list():
    # SB 54: "Responses are never required, …" is the second sentence of item (C); items
    # (G) and (4) are still under "California law enforcement agencies shall not:"
    found = verdicts(_SB54_7284_6 + "\n")
    assert found["agreements_287g"] == "green"


def test_an_exception_citing_a_section_of_the_same_law_brings_its_conditions():
    # "unless … in accordance with Section 7282.5", and 7282.5 lists convictions: a swallowed rule
    assert verdicts(_SB54_7282_5 + _SB54_7284_6 + "\n")["lunn"] == "red"
    # the same ban in a text that does not hold Section 7282.5 reads on its own words
    assert verdicts(_SB54_7284_6 + "\n")["lunn"] == "green"
    # a citation set in capitals ("in accordance with SECTION 7282.5") is the same citation
    assert verdicts(_SB54_7282_5 + _SB54_7284_6.replace("Section ", "SECTION ") + "\n")["lunn"] == "red"


def test_a_list_of_single_words_between_verb_and_object_is_one_phrase():
    # ORS 181A.826(1): six verbs in a row separate "used" from "immigration enforcement"
    text = (
        "(1) Public facilities, property, moneys, equipment, technology or personnel may not be used for the purpose "
        "of investigating, detecting, apprehending, arresting, detaining or holding individuals for immigration "
        "enforcement.\n"
    )
    found = verdicts(text)
    assert found["resources"] == "green"
    assert found["lunn"] == "green"  # no one is held for immigration enforcement


_MISSOURI_DEFINITION = (
    "67.307. 1. As used in this section, the following terms mean:\n\n"
    "(3) \"Municipality official\", any elected or appointed official or any law enforcement officer serving the "
    "municipality;\n\n"
    "(4) \"Sanctuary policy\", any municipality's order or ordinance, enacted or followed that:\n\n"
    "(a) Limits or prohibits any municipality official or person employed by the municipality from communicating "
    "or cooperating with federal agencies or officials to verify or report the immigration status of any alien "
    "within such municipality; or\n\n"
    "(b) Grants to illegal aliens the right to lawful presence or status within the municipality in violation of "
    "federal law.\n\n"
)


def test_a_law_forbidding_what_its_definition_lists_is_red_on_each_item():
    # RSMo 67.307: the definition's items are the restrictions the law forbids a town to adopt
    found = verdicts(_MISSOURI_DEFINITION + "2. No municipality shall enact or adopt any sanctuary policy.\n")
    assert found["status_checks"] == "red" and found["info_sharing"] == "red"
    # the definition alone forbids nothing
    assert set(verdicts(_MISSOURI_DEFINITION).values()) == {"silent"}


def test_such_information_is_the_status_information_its_lead_in_named():
    # N.C. Gen. Stat. § 153A-145.5(b): a law that forbids counties to stop officers gathering
    # and communicating immigration status information
    text = (
        "(b) No county shall do any of the following related to information regarding the citizenship or "
        "immigration status, lawful or unlawful, of any individual:\n"
        "(1) Prohibit law enforcement officials or agencies from gathering such information.\n"
        "(3) Prohibit the communication of such information to federal law enforcement agencies.\n"
    )
    found = verdicts(text)
    assert found["status_checks"] == "red" and found["info_sharing"] == "red"


def test_determining_whether_a_person_is_lawfully_present_is_a_status_check():
    # S.C. Code § 17-13-170(A)
    text = (
        "(A) If a law enforcement officer of this State or a political subdivision of this State lawfully stops, "
        "detains, investigates, or arrests a person for a criminal offense, and during the commission of the stop, "
        "detention, investigation, or arrest the officer has reasonable suspicion to believe that the person is "
        "unlawfully present in the United States, the officer shall make a reasonable effort, when practicable, to "
        "determine whether the person is lawfully present in the United States, unless the determination would "
        "hinder or obstruct an investigation.\n"
    )
    assert verdicts(text)["status_checks"] == "red"
    # O.C.G.A. § 42-4-14(b): at the jail, a list item under "to determine:"
    text = (
        "(b) When any person is confined, for any period, in the jail of a county, a reasonable effort shall be made "
        "within 48 hours of such person's arrival at the jail to determine:\n"
        "(1) The nationality of the person so confined; and\n"
        "(2) That the person so confined is not an illegal alien.\n"
    )
    assert verdicts(text)["status_checks"] == "red"


def test_an_opening_unless_ends_at_its_comma_and_extending_custody_is_lunn():
    # Wayne County Sheriff's Office memo on ICE detainers (2017)
    text = (
        "Unless one of the two above conditions are met, the Wayne County Sheriff's Office will not honor IDNAs, and "
        "members shall not extend custody of an individual (inmate) beyond the original booking and detention "
        "periods of the original charge and bail.\n"
    )
    assert verdicts(text)["lunn"] == "green"
    text = (
        "Unless the inmate has been convicted of a felony, members shall not extend custody of an individual beyond "
        "the original booking and detention periods of the original charge and bail.\n"
    )
    assert verdicts(text)["lunn"] == "red"


def test_sending_status_to_citizenship_and_immigration_services_is_sharing():
    # Texas HB 1217 (2019), Government Code § 752.053(b): a law that forbids limiting it
    text = (
        "(b) In compliance with Subsection (a), a local entity or campus police department may not prohibit or "
        "materially limit a person who is a commissioned peace officer from doing any of the following:\n"
        "(2) with respect to information relating to the immigration status, lawful or unlawful, of any person under "
        "arrest, including information regarding the person's place of birth:\n"
        "(A) sending the information to or requesting or receiving the information from United States Citizenship "
        "and Immigration Services, United States Immigration and Customs Enforcement, or another relevant federal "
        "agency;\n"
    )
    assert verdicts(text)["info_sharing"] == "red"


def test_investigating_a_person_on_the_belief_they_are_not_present_legally_is_a_status_question():
    # Santa Ana Ordinance NS-2908 (2017), an item of a prohibition
    text = (
        "The prohibition set forth in this Section shall include but not be limited to:\n"
        "(a) Identifying, investigating, arresting, detaining, or continuing to detain a person solely on the belief "
        "that the person is not present legally in the United States or that the person has committed a violation "
        "of immigration law;\n"
    )
    assert verdicts(text)["status_checks"] == "green"


def test_ice_may_only_enter_private_spaces_with_a_judicial_warrant():
    # Raritan Valley Community College guidance on ICE on campus; "classrooms, labs, and
    # offices" is one list, not three clauses
    text = (
        "ICE agents may only enter private spaces, such as classrooms, labs, and offices, on campus if they have "
        "judicial warrant signed by a judge.\n"
    )
    assert verdicts(text)["raids"] == "green"
    assert verdicts("ICE agents may enter private spaces, such as classrooms, labs, and offices, on campus.\n")["raids"] != "green"


def test_telling_a_detainee_that_ice_asks_to_keep_them_is_the_detainer_notice():
    # New Jersey Immigrant Trust Directive, officers' resource guide ("DO" list)
    text = (
        "DO\nUnder the Immigrant Trust Directive, officers MUST:\n"
        "■ Comply with judicial warrants issued by federal or state judges.\n"
        "■ Notify a detainee( using the forms provided by the AG) when federal civil immigration authorities "
        "request to:\n■ Interview them;\n■ Be notified when they are released; or\n"
        "■ Continue detaining them past when they would otherwise be eligible for release.\n"
    )
    assert verdicts(text)["detainers"] == "green"


def test_agents_without_a_warrant_asked_to_cease_enforcement_is_green_on_operations():
    # Trinity College (Connecticut) protocol for federal immigration agents on campus
    text = (
        "Agents who do not possess a warrant, court order, or subpoena will be asked to cease any enforcement "
        "activities and to leave the campus.\n"
    )
    assert verdicts(text)["raids"] == "green"


def test_holding_a_person_to_contact_ice_is_red_on_lunn():
    # the shape of Chicopee Policy 413 quoted by the guide, with ICE named by its initials
    text = "An officer may detain the person for a reasonable period of time in order to contact ICE to verify the person's status.\n"
    assert verdicts(text)["lunn"] == "red"


def test_a_label_after_a_full_stop_opens_the_next_provision():
    # California Government Code § 7284.10 (SB 54), as the chaptered bill prints it: one
    # paragraph; "(2)" is still an item of "shall:", and "(b) … shall not:" a list of its own
    text = (
        "7284.10. (a) The Department of Corrections and Rehabilitation shall: (1) In advance of any interview between "
        "the United States Immigration and Customs Enforcement (ICE) and an individual in department custody "
        "regarding civil immigration violations, provide the individual with a written consent form that explains "
        "the purpose of the interview, that the interview is voluntary, and that he or she may decline to be "
        "interviewed or may choose to be interviewed only with his or her attorney present. The written consent form "
        "shall be available in English, Spanish, Chinese, Tagalog, Vietnamese, and Korean. (2) Upon receiving any ICE "
        "hold, notification, or transfer request, provide a copy of the request to the individual and inform him or "
        "her whether the department intends to comply with the request. (b) The Department of Corrections and "
        "Rehabilitation shall not: (1) Restrict access to any in-prison educational or rehabilitative programming, "
        "or credit-earning opportunity on the sole basis of citizenship or immigration status.\n"
    )
    assert verdicts(text)["detainers"] == "green"
    # quoted with the lead-in it is read under
    assert evidence(text, "detainers")[0].startswith("The Department of Corrections and Rehabilitation shall: … (2) Upon receiving any ICE hold")


def test_such_enforcement_is_the_immigration_enforcement_named_before():
    # New York Assembly bill A8033: a bill that forbids the Governor to stop state agencies
    # helping ICE, information gathering included
    text = (
        "2. THE GOVERNOR SHALL NOT, THROUGH EXECUTIVE ORDER OR ANY OTHER EXECUTIVE POWER, PREVENT OR INHIBIT STATE "
        "AGENCIES AND THEIR EMPLOYEES, INCLUDING LAW ENFORCEMENT OFFICERS, FROM WORKING WITH FEDERAL AGENCIES FOR THE "
        "PURPOSES OF FEDERAL IMMIGRATION ENFORCEMENT, NOR SHALL THE GOVERNOR PROHIBIT INFORMATION GATHERING OR OTHER "
        "FORMS OF ASSISTANCE THAT AIDS IN SUCH ENFORCEMENT.\n"
    )
    assert verdicts(text)["info_sharing"] == "red"


def test_notifying_the_ins_or_making_notification_to_ice_is_sharing():
    # Denver's 2005 manual names ICE's predecessor, "the I.N.S."; Olympia's jail directive
    # "will make notification to ICE" (tests/heldout6).
    denver = ("Officers shall not initiate police actions to discover a person's immigration status. "
              "When a suspect believed to be an undocumented immigrant is arrested for other charges, "
              "Sheriff's Department Personnel will then notify the I.N.S. authorities according to their procedures.\n")
    assert verdicts(denver)["info_sharing"] == "red"
    olympia = "Staff will make notification to ICE when a prisoner is a suspected or confirmed illegal alien.\n"
    assert verdicts(olympia)["info_sharing"] == "red"


def test_the_allow_of_a_purpose_permits_no_one():
    # San Joaquin County's directive explains what a detainer asks before saying what the jail
    # does: "so as to allow ICE to take them" is why ICE asks, not a hold the jail allows.
    text = ("Immigration and Customs Enforcement detainers request local law enforcement agencies to hold "
            "undocumented immigrants so as to allow ICE to take them into their custody. "
            "No inmate will be held on an immigration detainer once they are eligible for release.\n")
    lunn = evidence(text, "lunn")
    assert not any(t.startswith("Immigration and Customs Enforcement detainers request") for t in lunn)
    assert verdicts(text)["lunn"] == "green"


def test_a_departments_statement_of_its_own_practice_is_its_policy():
    # Lowell's superintendent, as the press quoted the policy (tests/heldout7): no "shall",
    # but the department says what it does.
    text = ("The Lowell Police Department cooperates and assists with the Immigration and Customs "
            "Enforcement Agency (ICE) when formally requested, as we do with all our law enforcement partners.\n")
    got = verdicts(text)
    assert got["raids"] == "red" and got["resources"] == "red"
    # a principle the department supports is not help it gives ICE
    assert verdicts("We support the protections in the US Constitution for due process and condemn "
                    "aggressive tactics of ICE agents in Malden.\n")["raids"] == "silent"
    assert verdicts("We do not honor ICE detainers.\n")["lunn"] == "green"


def test_holding_a_person_on_behalf_of_ice_is_red_on_lunn():
    # Washoe County's sheriff (tests/heldout7) stopped honouring bare detainers, but: "If ICE
    # provides a warrant saying that they are arresting an individual …, we will hold that
    # person on behalf of ICE" — an ICE warrant is an administrative one.
    text = ("The Detention Facility will no longer accept ICE detainers. If ICE provides a warrant saying that "
            "they are arresting an individual and are taking them into their custody, we will hold that person "
            "on behalf of ICE.\n")
    assert verdicts(text)["lunn"] == "red"


def test_not_sharing_information_about_immigration_status_is_green():
    # Suffolk University's and Harvard's statements (tests/heldout7) name no recipient.
    text = ("The University does not and will not ask our students about immigration status or share "
            "information about our students' immigration status.\n")
    assert verdicts(text)["info_sharing"] == "green"


def test_a_detainer_honoured_with_a_warrant_that_may_be_ices_own_is_for_a_person_to_read():
    # Olympia's jail directive (tests/heldout6) "will not honor an ICE detainer unless it is
    # accompanied by a warrant": a judge's warrant keeps the rule, ICE's administrative
    # warrant is the guide's red flag, and the sentence does not say which.
    text = "The Olympia City Jail will not honor an ICE detainer unless it is accompanied by a warrant.\n"
    assert verdicts(text)["lunn"] == "unclear"
    judicial = "The Olympia City Jail will not honor an ICE detainer unless it is accompanied by a judicial warrant.\n"
    assert verdicts(judicial)["lunn"] == "green"


def test_a_directive_announced_to_be_followed_is_read_on_its_own():
    # San Joaquin County's sheriff (tests/heldout6): the "will" of "will be followed:" does not
    # govern the directive's "inmates currently being held … on an immigration detainer".
    text = ("Until the policy is issued, the following \u201cInterim Directive\u201d will be followed: "
            "\u201cEffective immediately, all inmates currently being held solely on an immigration detainer "
            "will be released from custody. No inmate will be held on an immigration detainer once they are "
            "eligible for release.\u201d\n")
    assert verdicts(text)["lunn"] == "green"
    # a lead-in the items finish still governs them (Northampton's ordinance)
    items = ("City resources shall not be used:\n(1)\nTo neither detain nor delay the release of an individual "
             "otherwise eligible for release from custody on the basis of an immigration detainer.\n")
    assert verdicts(items)["lunn"] == "green"


def test_there_may_be_situations_permits_no_one():
    # The DC police's statement on its general order (tests/heldout8): "There may be certain
    # situations in which MPD officers … learn about the immigration status" says what can
    # happen; it gives no officer leave to check anyone's status.
    text = (
        "Officers are not permitted to question persons about immigration status.\n\n"
        "There may be certain situations in which officers, during the normal course of their duties, learn about the immigration status of a person.\n"
    )
    assert verdicts(text)["status_checks"] == "green"
    assert verdicts("Officers may learn about the immigration status of a person.\n")["status_checks"] == "red"


def test_release_dates_given_when_homeland_security_asks():
    # Kalamazoo County's sheriff (tests/heldout8): the request comes from DHS, named as such.
    text = "When the Department of Homeland Security requests advance notice of an inmate's release date, the officer shall ensure that the information is provided.\n"
    assert verdicts(text)["info_sharing"] == "red"
    refused = "When the Department of Homeland Security requests advance notice of an inmate's release date, the officer shall not provide it.\n"
    assert verdicts(refused)["info_sharing"] == "green"


def test_a_sentence_about_sharing_is_no_unclear_answer_on_asking():
    # Harvard's president (tests/heldout7): the sentence names immigration status only as what
    # is not shared; it answers the sharing question and says nothing on checking status.
    text = "The University does not and will not voluntarily share information on the immigration status of undocumented members of our community.\n"
    v = verdicts(text)
    assert v["info_sharing"] == "green"
    assert v["status_checks"] == "silent"
    # Held "solely on the basis of" status is a detention rule, not a status check.
    assert verdicts("No person shall be held solely on the basis of their immigration status.\n")["status_checks"] == "silent"


def test_cooperating_with_ice_whenever_asked_allows_sharing():
    # Lowell's superintendent and Anne Arundel County's policy 606 (tests/heldout7): help
    # on request includes answering ICE's requests for information.
    text = "The Department cooperates and assists with Immigration and Customs Enforcement when formally requested.\n"
    assert verdicts(text)["info_sharing"] == "red"
    refused = "Officers shall not cooperate with Immigration and Customs Enforcement when requested, except as required by law.\n"
    assert verdicts(refused)["info_sharing"] == "green"


def test_a_policy_that_lets_ice_place_a_hold_and_never_tells_the_arrestee():
    # Lawrence's police chief (tests/heldout7): "ICE … may place a hold on that person" deals
    # with detainers, and nothing says the person is told of one.
    text = "If a person is arrested for a violent felony, Immigration and Customs Enforcement may place a hold on that person.\n"
    assert verdicts(text)["detainers"] == "red"


def test_a_faq_answer_no_is_its_own_sentence():
    # Houston's questions and answers (tests/heldout7): "No." answers the question before it;
    # it is not a negation of the sentence after it, nor the "No." of "General Order No. 14".
    text = (
        "Do officers ask about immigration status in the field?\n\n"
        "No. Once a person has been arrested and taken to a jail facility, jail personnel will then ask the person for his/her legal status.\n"
    )
    assert verdicts(text)["status_checks"] == "red"


def test_general_order_no_is_not_a_sentence_end():
    from policy_redline.segment import split_sentences

    assert split_sentences("Under General Order No. 14 officers shall not ask. Ordinance No. A-12 applies.") == [
        "Under General Order No. 14 officers shall not ask.",
        "Ordinance No. A-12 applies.",
    ]


def test_agents_to_be_denied_access_without_a_judicial_warrant():
    # Boston's 2026 order as reported (tests/heldout9): "are to be denied" directs, and
    # denying is a refusal; not denying ICE access to the jail lets it in.
    text = "Federal immigration officials are to be denied access to nonpublic areas of municipal buildings without a judicial warrant.\n"
    assert verdicts(text)["raids"] == "green"
    assert verdicts("The Department shall not deny ICE agents access to the jail.\n")["resources"] == "red"


def test_no_entry_on_an_administrative_warrant():
    # North Orange County's college district (tests/heldout9).
    refused = "The District will NOT comply with an administrative warrant seeking entry to private areas.\n"
    assert verdicts(refused)["raids"] == "green"
    allowed = "Staff will comply with an administrative warrant seeking entry to private areas.\n"
    assert verdicts(allowed)["raids"] == "red"


def test_the_cost_of_holding_on_a_detainer_is_no_permission_to_hold():
    # Humboldt County's code 9121-6 (tests/heldout9): officials seek reimbursement for "costs
    # incurred in continuing to detain" someone on a detainer; the rule on holding is elsewhere.
    text = (
        "(a) No enforcement official shall detain an individual on the basis of a civil immigration detainer.\n\n"
        "(b) Law enforcement officials shall seek Federal reimbursement for all costs incurred in continuing to detain an individual, "
        "after that individual becomes eligible for release, in response to each civil immigration detainer.\n"
    )
    assert verdicts(text)["lunn"] == "green"


def test_what_the_schools_attorney_does_directs_no_officer():
    # A charter school's policy (tests/heldout9): the lawyer's help in reading ICE's warrant
    # is not help given to ICE.
    assert verdicts("Your attorney will help identify what type of warrant the ICE Agents have.\n")["raids"] == "silent"
    assert verdicts("Officers will help ICE agents identify the person.\n")["raids"] == "red"


def test_a_prohibition_denied_permits():
    # "is not prohibited from" (no modal) permits what "shall not be prohibited from" does:
    # both were read before; only the first was read as a prohibition.
    assert verdicts("A county agency is not prohibited from sending to federal immigration authorities the immigration status of a person.\n")["info_sharing"] == "red"
    assert verdicts("Officers are not prohibited from assisting ICE.\n")["raids"] == "red"
    assert verdicts("Officers are not prevented from assisting ICE.\n")["raids"] == "red"
    assert verdicts("Officers are prohibited from assisting ICE.\n")["raids"] == "green"
    assert verdicts("Officers are prevented from assisting ICE.\n")["raids"] == "green"


def test_a_negated_object_forbids_and_a_negated_subject_nothing_counts():
    # "share no information" and "give ICE no access" forbid; "Nothing prevents officers
    # from sharing" permits (it was read as a prohibition).
    assert verdicts("Officers shall share no information with ICE.\n")["info_sharing"] == "green"
    assert verdicts("The Department shall give ICE no access to the jail.\n")["resources"] == "green"
    assert verdicts("Officers shall share nothing with ICE.\n")["info_sharing"] == "green"
    assert verdicts("Officers shall notify ICE no later than 48 hours before release.\n")["info_sharing"] == "red"
    assert verdicts("Nothing prevents officers from sharing information with ICE.\n")["info_sharing"] == "red"


def test_avoid_asking_and_help_only_to_keep_the_peace():
    # "should avoid asking" was read as leave to ask; help limited to keeping the peace is
    # the guide's own green flag on raids.
    assert verdicts("Officers should avoid asking about immigration status.\n")["status_checks"] == "green"
    assert verdicts("Officers shall assist ICE only to keep the peace.\n")["raids"] == "green"
    assert verdicts("Officers shall assist ICE in its operations.\n")["raids"] == "red"


def test_officers_are_not_to_inquire():
    assert verdicts("Officers are not to inquire about immigration status.\n")["status_checks"] == "green"


def test_not_hesitate_and_not_fail_require():
    # two negatives that make a duty: "shall not hesitate to contact ICE" was read as a ban
    assert verdicts("Officers shall not hesitate to contact ICE.\n")["info_sharing"] == "red"
    assert verdicts("Officers must not fail to notify ICE of an arrest.\n")["info_sharing"] == "red"
    assert verdicts("Officers shall not contact ICE.\n")["info_sharing"] == "green"


# --- the tenth held-out set's shapes (tests/heldout10/) ---------------------------------------


def test_a_contracted_negation_negates():
    # A sheriff quoted in the press: "can't" is "cannot", and a warrant a magistrate or judge
    # issued is a judge's warrant.
    text = ("The Sheriff said his office can’t hold an individual solely on an ICE detainer "
            "unless a warrant was issued by a magistrate or judge to do so.\n")
    assert verdicts(text)["lunn"] == "green"
    assert verdicts("By state law I can’t use public money and resources to conduct any sweeps for illegal immigrants.\n")["resources"] == "green"


def test_the_oregon_statutes_funds_wording_limits_resources():
    text = ("No public funds of the Marrow Bay Police Department shall be used to detect or apprehend persons "
            "whose only violation of law is that they are persons of foreign citizenship present in the United States.\n")
    assert verdicts(text)["resources"] == "green"


def test_acting_without_regard_to_status_is_no_status_check():
    assert verdicts("Officers shall investigate criminal activity without regard for an individual’s legal status.\n")["status_checks"] == "silent"
    text = "All residents should know that they may seek and obtain police assistance regardless of their immigration status.\n"
    assert verdicts(text)["status_checks"] == "silent"
    assert verdicts("Officers may ask about immigration status regardless of the offense.\n")["status_checks"] == "red"


def test_what_other_agencies_did_is_no_rule():
    # A news story's past tense about another county is not the department's policy.
    assert verdicts("Quinnet County landed on the list of counties that didn’t comply with detainers.\n")["lunn"] == "silent"


def test_an_exception_listed_after_a_colon_is_read_with_its_items():
    text = (
        "POLICY\n"
        "A. A person may not be held in custody solely on the basis of an immigration detainer if he or she is "
        "otherwise eligible for release unless one of the following exceptions applies:\n"
        "1. The individual has been convicted of a serious or violent felony.\n"
        "2. The individual is a current registrant on the sex offender registry.\n"
    )
    assert verdicts(text)["lunn"] == "red"


def test_a_savings_clause_after_a_semicolon_leaves_the_rule_before_it():
    text = ("All Harlow Falls employees shall decline to respond affirmatively to requests from ICE for non-public "
            "information about an individual unless the request is accompanied by a judicial warrant; EXCEPT that "
            "nothing in this resolution shall restrict any employee from sending information to ICE as required by "
            "8 U.S.C. 1373.\n")
    assert verdicts(text)["info_sharing"] == "green"
    assert verdicts("Nothing in this ordinance shall prohibit any employee from sending information to ICE.\n")["info_sharing"] == "silent"


def test_a_rule_subject_to_supervisors_public_safety_judgment_is_swallowed():
    # Beacon's 2017 resolution: the guide's "serves a public safety interest" red flag.
    text = ("Subject to the ability of supervisory police officials to exercise their sound judgment as necessary to "
            "protect public safety, all Quinnet employees shall decline to respond affirmatively to requests from ICE "
            "for non-public information about an individual unless the request is accompanied by a judicial warrant.\n")
    assert verdicts(text)["info_sharing"] == "red"
    assert verdicts("Subject to the requirements of state law, officers shall not share information with ICE.\n")["info_sharing"] == "green"


# --- the eleventh held-out set's shapes (tests/heldout11/) ------------------------------------


def test_a_detention_named_as_a_noun_is_the_lunn_action():
    text = ("The bylaw prohibits police detentions based on civil immigration detainer requests or ICE administrative "
            "warrants.\n")
    assert verdicts(text)["lunn"] == "green"
    text = "The town will not aid in the detention, transfer or deportation of residents for civil immigration purposes.\n"
    assert verdicts(text)["lunn"] == "green"


def test_no_delay_in_bail_for_immigration_status_keeps_lunn():
    assert verdicts("Any person arrested in Quinnet will not experience delays in the bail process due to their immigration status.\n")["lunn"] == "green"


def test_cooperating_with_ice_on_the_transfer_to_custody_is_red_on_lunn():
    text = ("It is in the interest of public safety that the Marrow Bay Sheriff's Office cooperates with ICE to ensure "
            "an orderly transfer of criminal aliens to federal custody.\n")
    assert verdicts(text)["lunn"] == "red"


def test_what_a_bill_would_allow_is_no_permission():
    text = ("The governor filed a bill that would allow authorities to comply with detainer requests involving "
            "immigrants convicted of certain crimes.\n")
    assert verdicts(text)["lunn"] == "silent"


def test_information_given_to_families_or_by_ice_is_not_given_to_ice():
    text = ("Upon any request for information about a student's immigration status, district staff shall: provide "
            "students and parents/guardians with any documents provided by the immigration enforcement officer.\n")
    assert verdicts(text)["info_sharing"] == "silent"
    assert verdicts("Records shall not be provided by the department to ICE.\n")["info_sharing"] == "green"
    assert verdicts("Officers may provide federal immigration officials with information about inmates.\n")["info_sharing"] == "red"


def test_a_listed_exception_is_as_strong_as_its_items():
    lawful = ("Officers shall not inquire about immigration status except in the following circumstances: "
              "(1) when required by law; (2) when a judicial warrant requires it.\n")
    assert verdicts(lawful)["status_checks"] == "green"
    swallowing = ("Officers shall not inquire about immigration status except in the following circumstances: "
                  "(1) when the person has been convicted of a felony; (2) when the person is a gang member.\n")
    assert verdicts(swallowing)["status_checks"] == "red"


# --- the twelfth held-out set's shapes (tests/heldout12/) -------------------------------------


def test_a_jail_that_describes_how_it_works_with_ice_states_its_practice():
    text = ("The Quinnet County Jail interacts with Immigration and Customs Enforcement (ICE) by:\n"
            "1. providing access to inmate information regarding citizenship status and country of origin;\n"
            "2. accepting properly documented ICE detainer requests; and\n"
            "3. releasing individuals subject to ICE detainer to federal custody once criminal charges are resolved.\n")
    v = verdicts(text)
    assert v["info_sharing"] == "red" and v["lunn"] == "red"


def test_not_administering_immigration_law_limits_resources():
    text = "Harlow Falls officials shall not administer federal immigration law, which is the exclusive authority of the federal government.\n"
    assert verdicts(text)["resources"] == "green"


# --- the thirteenth held-out set's shapes (tests/heldout13/) ----------------------------------


def test_assisting_ice_only_for_scene_safety_keeps_the_peace():
    text = ("Members of the Quinnet Police Department are authorized to assist ICE when it is related to scene "
            "safety and/or the safety of ICE employees as they perform their duties.\n")
    assert verdicts(text)["raids"] == "green"
    text = "Members of the Quinnet Police Department are authorized to assist ICE when it is related to any investigation.\n"
    assert verdicts(text)["raids"] == "red"


def test_acting_on_non_judicial_warrants_is_the_lunn_action():
    assert verdicts("Marrow Bay police are prohibited from acting on non-judicial warrants.\n")["lunn"] == "green"


def test_against_the_law_for_officers_forbids():
    assert verdicts("It is against Oregon law for officers to participate in immigration enforcement.\n")["raids"] == "green"
    assert verdicts("It is not against the law for officers to assist ICE.\n")["raids"] == "red"


def test_refusing_holds_only_for_low_level_offenders_keeps_the_rest():
    # Multnomah County's 2013 board resolution (tests/heldout14/): holds go on for everyone else.
    text = ("The Board supports the Sheriff's decision to stop complying with federal immigration holds for "
            "low-level offenders in county jails.\n")
    assert verdicts(text)["lunn"] == "red"


# --- a sheriff's announcement (tests/heldout6/, tests/heldout13/) ------------------------------


def test_a_release_date_is_a_date_not_information_given_to_ice():
    # Fairfax County's statements: a hold "past their release date" is about holding, and
    # the release date is no information sent to anyone.
    text = ("The Quinnet County Sheriff's Office will no longer hold inmates past their release date unless an ICE "
            "administrative request to detain the inmate is accompanied by a criminal detainer issued by a court.\n")
    got = verdicts(text)
    assert got["info_sharing"] == "silent"
    assert got["lunn"] == "green"
    assert verdicts("Deputies shall notify ICE of an inmate's release date.\n")["info_sharing"] == "red"


def test_having_notified_ice_of_a_rule_is_not_the_rule_on_notifying():
    text = ("Sheriff Ann Holt has notified ICE that the Marrow Bay jail will no longer hold people for "
            "immigration authorities without a judicial warrant.\n")
    assert verdicts(text)["info_sharing"] == "silent"
    # the modal after the action still governs one in a condition
    assert verdicts("If ICE requests assistance, Harlow Falls officers will provide it.\n")["raids"] == "red"


def test_help_promised_when_immigration_officials_ask_is_red():
    # Henrico County's LP-54-25 (tests/heldout6/): who is helped is named in the condition.
    assert verdicts("When requested by federal immigration officials, Quinnet officers will lend their cooperation.\n")["raids"] == "red"
    assert verdicts("When requested by federal immigration officials, Quinnet officers shall not provide assistance.\n")["raids"] == "green"
    assert verdicts("Quinnet officers shall not detain anyone when requested by ICE.\n")["raids"] == "silent"


def test_an_order_to_cease_holding_on_a_detainer_alone_is_lunns_rule():
    # Walla Walla County's 2014 order (tests/heldout9/)
    text = ("The Quinnet County Sheriff's Office shall cease to hold individuals in custody when the only authority "
            "for such custody is a request contained in a (Department of Homeland Security) ICE immigration detainer.\n")
    assert verdicts(text)["lunn"] == "green"
    assert verdicts("The Marrow Bay jail may hold individuals when the only basis is an ICE detainer.\n")["lunn"] == "red"


def test_ice_misspelled_in_the_plural_is_still_ice():
    # Cambridge's 2025 report (tests/heldout9/): "Immigrations and Customs Enforcement"
    text = "Harlow Falls officers are prevented from assisting in any Immigrations and Customs Enforcement operations in the city.\n"
    assert verdicts(text)["raids"] == "green"


# --- the fifteenth held-out set's shapes (tests/heldout15/) ------------------------------------


def test_agents_not_allowed_access_without_a_judicial_warrant():
    text = "Federal immigration agents are not allowed access to non-public areas on Quinnet property without a judicial warrant.\n"
    assert verdicts(text)["raids"] == "green"
    text = "ICE agents are not allowed access to non-public areas of Quinnet property unless the supervisor agrees.\n"
    assert verdicts(text)["raids"] == "red"


def test_city_resources_for_detention_based_on_immigration_status():
    text = ("Harlow Falls employees are prohibited from using City resources to facilitate the investigation, detection, "
            "apprehension or detention of individuals based on immigration status.\n")
    assert verdicts(text)["resources"] == "green"


def test_sharing_immigration_status_with_anyone():
    text = ("Marrow Bay employees are prohibited by law from collecting or sharing citizenship or immigration status, "
            "unless required by law to determine eligibility for a state or federal program.\n")
    assert verdicts(text)["info_sharing"] == "green"


def test_fingerprints_sent_automatically_where_ice_can_read_them():
    text = ("During the booking process, fingerprints are automatically transmitted to a state database to which all "
            "local, state and national law enforcement agencies including ICE have access.\n")
    assert verdicts(text)["info_sharing"] == "red"


def test_deputies_notify_ice_of_a_release_as_their_practice():
    text = "Booking deputies also notify ICE when an inmate served with an ICE detainer is scheduled to be released.\n"
    got = verdicts(text)
    assert got["info_sharing"] == "red"
    # ICE is told, not the inmate: no green for telling the arrestee of the detainer
    assert got["detainers"] != "green"
    assert verdicts("Officers shall notify the arrestee of any ICE detainer.\n")["info_sharing"] == "silent"


def test_a_residency_check_the_law_requires_of_sheriffs():
    text = "The law requires all Sheriffs to determine the residency status of individuals arrested and brought to jail.\n"
    assert verdicts(text)["status_checks"] == "red"
    assert verdicts("The registrar shall determine the residency status of students for tuition purposes.\n")["status_checks"] == "silent"


def test_a_detainer_must_come_with_a_judges_order():
    text = ("Quinnet Sheriff's Office policy now requires that an ICE detainer be accompanied by a criminal judiciary "
            "order, which ensures due process.\n")
    assert verdicts(text)["lunn"] == "green"
    assert verdicts("The Marrow Bay jail will not honor an ICE detainer unless it is accompanied by a judicial warrant.\n")["lunn"] == "green"


def test_asking_ice_whether_a_matter_is_civil_enforcement_serves_the_rule():
    text = ("A Harlow Falls agency or agent is authorized to communicate with ICE in order to determine whether any "
            "matter involves enforcement based solely on a violation of a civil immigration law.\n")
    assert verdicts(text)["info_sharing"] == "silent"
    assert verdicts("Harlow Falls officers may communicate with ICE about any inmate.\n")["info_sharing"] == "red"


def test_a_task_force_whose_focus_is_not_immigration_enforcement():
    # Roseville's policy 102 (tests/heldout13/)
    text = ("Members of the Quinnet Police Department are authorized to cooperate with a task force involving ICE "
            "agents as long as the focus of the task force is not immigration enforcement.\n")
    assert verdicts(text)["raids"] == "green"
    text = "Quinnet officers are authorized to cooperate with a task force involving ICE agents as long as the supervisor approves.\n"
    assert verdicts(text)["raids"] == "red"


def test_cooperation_only_as_federal_and_state_laws_mandate():
    text = "Members of the Marrow Bay Police Department will cooperate with ICE as specifically mandated by federal and state laws.\n"
    assert verdicts(text)["raids"] != "red"


# --- the sixteenth held-out set's shapes (tests/heldout16/) ------------------------------------


CAMPUS_STEPS = (
    "Campus visits\n\n"
    "If an employee is approached by anyone engaged in immigration enforcement, they must call the Quinnet University Police.\n\n"
    "Once notified, Quinnet police will\n\n"
    "  • Verify the credentials of enforcement officers and collect details about their purpose on campus.\n"
    "  • Review documentation, including judicial warrants, for validity.\n"
)


def test_a_lead_in_that_stops_at_its_modal_governs_the_bullets_after_it():
    # Western Washington University's FAQ: "Once notified, UPD will" over its bullets
    assert verdicts(CAMPUS_STEPS)["raids"] == "green"
    assert "Once notified, Quinnet police will: … Review documentation, including judicial warrants, for validity." in evidence(CAMPUS_STEPS, "raids")


def test_checking_an_agents_identity_before_access():
    text = ("Campus access\n\nUpon a request to access nonpublic property, the Designated Authority shall take the "
            "necessary steps to:\n\n  • Verify the identity of the law enforcement agency;\n")
    assert verdicts(text)["raids"] == "green"
    assert verdicts("Campus access\n\nMarrow Bay staff shall not verify the credentials of ICE agents.\n")["raids"] == "red"


# --- words that only look like provisions ------------------------------------------------------


def test_the_month_of_may_is_no_permission():
    # Fairfax County's booking policy (tests/heldout15/) opens "May 23, 2018 -- On January 22, …"
    text = ("May 23, 2018 -- On January 22, 2018, the Quinnet County Sheriff terminated an agreement with ICE under "
            "which the office would hold inmates past their release time on an administrative detainer.\n")
    assert set(verdicts(text).values()) == {"silent"}
    text = ("Before May 2019, state law required local jail officials to collect and report nationality information "
            "to federal immigration authorities.\n")
    assert verdicts(text)["info_sharing"] == "silent"
    assert verdicts("Quinnet officers may share release dates with ICE.\n")["info_sharing"] == "red"


def test_words_washington_strikes_in_double_parentheses_are_not_law():
    # King County's 2025 amendment (tests/corpus/): "((not)) is not prohibited from sending …"
    text = ("However, a Marrow Bay agency, employee, or agent ((not)) is not prohibited from sending to, or receiving "
            "from, federal immigration authorities, the citizenship or immigration status of a person.\n")
    assert verdicts(text)["info_sharing"] == "red"


def test_a_question_that_has_arisen_is_no_provision():
    text = ("For some time now, questions have arisen about the extent to which Quinnet officers may, or are required "
            "to, assist ICE with the enforcement of federal immigration law.\n")
    assert verdicts(text)["raids"] == "silent"


def test_measures_designed_to_restrict_immigration_are_not_a_limit_on_enforcement():
    text = ("In light of recent federal measures designed to restrict immigration and intensify the enforcement of "
            "federal immigration laws, we are now updating our guidance.\n")
    assert verdicts(text)["resources"] == "silent"


def test_a_bills_purpose_paragraph_directs_no_one():
    # Maryland's HB 444 (tests/corpus/), its purpose paragraph on a line of its own
    text = ("FOR the purpose of prohibiting the State, a unit of local government, a county sheriff, or any agency of "
            "Quinnet from entering into a certain immigration enforcement agreement; requiring the termination of an "
            "existing immigration enforcement agreement on or before a certain date; and generally relating to "
            "immigration enforcement.\n")
    assert verdicts(text)["agreements_287g"] == "silent"


# --- the seventeenth held-out set's shapes (tests/heldout17/) ----------------------------------


def test_refusing_detainers_only_for_low_level_charges_keeps_the_rest():
    # Santa Ana's jail procedure
    text = ("While individuals booked into Quinnet Jail will be subjected to Secure Communities automated immigration "
            "review as a matter of course, jail staff will not honor detainers on individuals charged with low-level offenses.\n")
    got = verdicts(text)
    assert got["lunn"] == "red"
    assert got["status_checks"] == "red"  # every booking is checked


def test_a_duty_not_imposed_is_no_prohibition():
    text = ("Further, the bulletin clarifies the Secure Communities program does not require local law enforcement "
            "agencies to determine immigration status or enforce immigration laws.\n")
    assert verdicts(text)["status_checks"] != "green"
    assert verdicts("Quinnet officers are not required to ask about immigration status.\n")["status_checks"] == "silent"


def test_information_forwarded_to_ice_in_the_passive():
    # Hanover Park's directive 210-P
    text = ("If a person is arrested by the Quinnet Police Department for a felony and in the course of the "
            "investigation it is learned the subject is an illegal alien, this information may be forwarded to ICE.\n")
    assert verdicts(text)["info_sharing"] == "red"


def test_an_administrative_warrant_noted_in_the_arrest_report():
    # NEIU's policy 415: the warrant is not enforced, but it goes into the person's record
    text = ("If a person is in custody of the Quinnet University Police for a criminal offense and a routine name check "
            "reveals an ICE warrant of an administrative/civil law, the administrative warrant will not be enforced. "
            "Any non-enforced administrative warrant will be documented in the narrative portion of the arrest report "
            "and noted by \"ICE Warrant not enforced, administrative warrant only\".\n")
    got = verdicts(text)
    assert got["lunn"] == "green"
    assert got["detainers"] == "red"


def test_a_list_does_not_reach_into_the_next_numbered_section():
    # NEIU's "415.2 … will not: 1. … 2. … 3. …" and its sections 415.2.1 and 415.2.2
    text = ("415.2 POLICY\n\nQuinnet University Police members will not:\n"
            "1. arrest or detain an individual solely on the belief that the person is in violation of a civil immigration law.\n"
            "2. conduct sweeps aimed at identifying individuals based on immigration status.\n\n"
            "415.2.1 BASIS FOR CONTACT\n\nAt no time will any basis for contact be based solely on immigration status.\n\n"
            "415.2.2 ADMINISTRATIVE WARRANTS\n\nAny administrative warrant will be documented in the arrest report.\n")
    assert "will not" not in " ".join(evidence(text, "detainers"))


def test_direction_and_supervision_of_homeland_security_is_287g():
    # New York City's Administrative Code § 10-178, in the words of 8 U.S.C. § 1357(g)(3)
    text = ("No agency of Quinnet shall subject its officers or employees to the direction and supervision of the "
            "secretary of homeland security primarily in furtherance of immigration enforcement.\n")
    assert verdicts(text)["agreements_287g"] == "green"


def test_judicial_orders_verified_before_access():
    # Fordham's 2025 guidance
    text = ("Law enforcement officers must provide judicial orders or lawfully issued subpoenas, which Quinnet "
            "College's Office of General Counsel will verify before access to campus property will be granted.\n")
    assert verdicts(text)["raids"] == "green"


def test_a_list_label_left_in_the_text_does_not_hide_the_subjects_no():
    # New York City's § 10-178 as a PDF's text, where "c." stays in the sentence
    text = ("c. No city resources, including, but not limited to, time spent by employees, officers, contractors, "
            "or subcontractors while on duty, or the use of Quinnet property, shall be utilized for immigration enforcement.\n")
    assert verdicts("Resources\n\n" + text)["resources"] == "green"
    # read as the sentence arrives from a PDF, label and all
    from policy_redline.provisions import load_lexicon, read_sentence

    sentence = text.strip()
    assert read_sentence(sentence, sentence, load_lexicon(), "resources").color == "green"
