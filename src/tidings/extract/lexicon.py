"""Extraction: the trigger words that make a sentence worth the full NLP pipeline.

Pure regular expressions, compiled once. A sentence reaches spaCy's parser only
if it matches one of the kind triggers below and names a state or organization,
which is what keeps extraction cheaper than running the parser on every sentence.
Each pattern is written against wording families seen in news, not sentences:
"removed X from its list", "excluded from the register", "designated as a
terrorist group", "accepted the credentials", "trade turnover reached".
"""

from __future__ import annotations

import re

_I = re.IGNORECASE

# -- designations --------------------------------------------------------------------
# Taking a group off a list of terrorist or banned organizations.
DELIST = re.compile(
    r"\b(?:remov(?:e|es|ed|ing|al)|exclu(?:de|des|ded|ding|sion)|delist(?:s|ed|ing)?|de-list(?:s|ed|ing)?"
    r"|strik(?:e|es|ing)\s+(?:[\w’'-]+\s+){1,3}off|struck\s+(?:[\w’'-]+\s+){0,3}off|tak(?:e|es|en|ing)\s+(?:\w+\s+){0,3}off|took\s+(?:\w+\s+){0,3}off"
    r"|no\s+longer\s+(?:included|listed|on\s+the\s+list|appears|features|designated|considered)"
    r"|(?:was|is|were|are)\s+not\s+(?:on|in|among)\s+the\s+(?:list|register)"
    r"|lift(?:s|ed|ing)?\s+(?:the|its|a)\s+ban|unban(?:s|ned|ning)?"
    r"|dropp(?:ed|ing)\s+(?:\w+\s+){1,4}from|drops?\s+(?:\w+\s+){1,4}from"
    # Revoking a designation ("revoked the designation of X as ...", "the listing was revoked",
    # "rescinded its listing"): the designation word belongs to the revocation, not a new listing.
    r"|(?:revok(?:e|es|ed|ing)|rescind(?:s|ed|ing)?|revocation\s+of)(?:\s+(?:the|its|their|a)\s+(?:\w+\s+){0,2}"
    r"(?:designation|listing|proscription|ban))?)\b",
    _I,
)
SUSPEND = re.compile(
    r"\b(?:suspend(?:s|ed|ing)?|suspension\s+of|put\s+(?:[\w’'-]+\s+){1,4}on\s+hold)\b"
    r"(?=.{0,80}\b(?:ban|prohibition|designation|list))|\bput\s+(?:[\w’'-]+\s+){0,4}ban\s+on\s+hold\b",
    _I,
)
# Putting a group on such a list, or the standing fact that it is on one.
LIST = re.compile(
    r"\b(?:designat(?:e|es|ed|ing|ion)|blacklist(?:s|ed|ing)?|outlaw(?:s|ed|ing)?|proscrib(?:e|es|ed|ing)"
    r"|add(?:s|ed|ing)?\s+(?:[\w’'-]+\s+){0,5}to\s+(?:the|its|that|a|their)\s+(?:[\w-]+\s+){0,3}(?:list|registry|register)"
    # "placed the Houthis on the same list", "was placed on the First Schedule", "put it on its register".
    r"|(?:plac(?:e|es|ed|ing)|put(?:s|ting)?)\s+(?:[\w’'-]+\s+){0,5}on\s+(?:the|its|that|a|their)\s+(?:[\w-]+\s+){0,3}"
    r"(?:list|registry|register|schedule)\b"
    r"|(?:(?:recogni[sz]|declar|nam)(?:e|es|ed|ing)?|label+(?:ed|ing|s)|brand(?:ed|ing|s))\s+(?:[\w’'-]+\s+){0,5}(?:as\s+)?(?:an?\s+)?"
    r"(?:terrorist|extremist|banned)"
    r"|(?:is|are|was|were|been|be|also|since|first|later)\s+listed\b|listed\s+(?=by\b|as\b|(?-i:[A-Z])|it\b|them\b|the\s+(?:group|movement|organi[sz]ation|party|network)\b)"
    # "which Argentina listed in July 2019": a listing dated right after the verb.
    r"|listed\s+(?=(?:in|on)\s+(?:(?:early|late|mid-?)\s*)?(?:(?-i:[A-Z])[a-z]+\s+)?\d)"
    # "Canada lists it too", "Britain still lists HTS as ...": the standing listing, present tense.
    r"|lists\s+(?=it\b|them\b|(?-i:[A-Z]))"
    r"|banned\s+by|(?:list|register|registry)\s+(?:\w+\s+){0,2}(?:includes?|included|contains?|contained|comprises?)\b"
    r"|(?:on|in)\s+(?:the|its|that|their|\w+[’']s)\s+(?:\w+\s+){0,2}(?:list|register)\s*,?\s+(?:includes?|are|among\s+them)\b"
    # "named both groups among the eighty organisations on the list", "included it among the groups".
    r"|(?:nam|includ)(?:e|es|ed|ing)\s+(?:[\w’'-]+\s+){0,6}among\s+(?:[\w’'-]+\s+){0,5}(?:organi[sz]ations|groups|entities)\b"
    # "on the American terrorism list since 2008": a list named by its state's adjective.
    r"|on\s+the\s+(?-i:[A-Z])[a-z]+\s+(?:\w+\s+){0,2}list\b"
    r"|(?:on|joins?\s+(?:\w+\s+){0,4}on)\s+\w+[’']s\s+(?:\w+\s+){0,2}list\b|ban(?:s|ned|ning)?\s+(?:on\s+)?(?:the\s+)?(?=(?-i:[A-Z]))|\bbans\s+(?=it\b|them\b|the\s+(?:group|movement|organi[sz]ation|party))|(?<!of\s)(?<!list\sof\s)\bbann(?:ed|ing)\b(?!\s+(?!the\b|its\b)(?:\w+\s+){0,2}(?:organi[sz]ations?|groups?|parties|movements?|lists?|registers?|entities|names))(?!\s+by)|included\s+(?:\w+\s+){0,3}in\s+(?:the|its|a)\s+(?:\w+\s+){0,3}list)",
    _I,
)
LIST_CONTEXT = re.compile(
    r"\b(?:lists?|listed|listings?|registers?|registry|proscri\w*|terror\w*|extremis\w*|banned|bans?|prohibited|outlaw\w*"
    r"|designat\w*|(?-i:(?:First|Second|Fourth)\s+Schedule))\b",
    _I,
)
# Bodies that list groups but are not states: their lists are not a state's act.
# Words that stand for a group named earlier: "Jordan outlawed the group in April".
ORG_ANAPHOR = re.compile(r"\b(?:the\s+(?:group|movement|organi[sz]ation|network|party)|it)\b", _I)
NON_STATE_LISTER = re.compile(r"\b(?:UN|UNSC|U\.N\.|United Nations|Security Council|European Union|EU)\b")

DID_THE_SAME = re.compile(
    r"\b(?:(?:did|has\s+done|had\s+done|followed)\s+(?:the\s+same|suit)|did\s+(?:likewise|so)"
    r"|(?:took|has\s+taken|had\s+taken)\s+(?:the\s+same|a\s+similar)\s+step|followed(?=\s+(?:in|on|for|last|this|\.|,)))\b",
    _I,
)

# -- diplomatic steps ---------------------------------------------------------------------
ACCREDIT = re.compile(
    r"\b(?:accredit\w*|credentials|(?:accept|receiv)(?:e|es|ed|ing|s)?\s+(?:[\w’'-]+\s+){0,4}(?:envoys?|diplomats?"
    r"|ambassadors?|charg[eé]s?|representatives?|consuls?|appointees?)|(?:envoys?|diplomats?|ambassadors?)\s+(?:\w+\s+){0,2}accepted"
    r"|allow\w*\s+(?:[\w’'-]+,?\s+){0,7}to\s+(?:begin\s+work|start\s+work|take\s+up\s+work|work\s+as|serve\s+as|act\s+as"
    r"|take\s+charge(?!\s+of\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}(?:embass|mission|consulate)))"
    r"|recogni[sz]\w*\s+(?:\w+\s+){0,2}(?:representatives?|envoys?|diplomats?)"
    # "welcomed X as the new ambassador", "took in X as Kabul's ambassador".
    r"|(?:welcomed|took\s+in|received)\s+(?:[\w’'-]+\s+){1,3}as\s+(?:the\s+|its\s+|[\w’'-]+\s+){0,2}"
    r"(?:ambassador|envoy|charg[eé]))",
    _I,
)
HANDOVER = re.compile(
    r"\b(?:hand(?:s|ed|ing)?\s+(?:over\s+)?(?:\w+\s+){0,6}(?:embass\w+|mission|diplomatic\s+premises)"
    # "allowed Taliban diplomats to take charge of the Afghan embassy": the building changes hands.
    r"|allow\w*\s+(?:[\w’'-]+\s+){0,5}to\s+take\s+(?:charge\s+of|over)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}embass\w+"
    r"|embass\w+\b.{0,60}\b(?:handed|transferred|turned)\s+over|(?:handed|transferred|turned)\s+over\s+to\s+the\s+"
    r"|(?:representatives?|embass\w+|missions?)\s+(?:\w+\s+){0,3}(?:were|was|been)\s+(?:transferred|handed)\s+to)",
    _I,
)
RECOGNIZE = re.compile(
    r"\b(?:recogni[sz](?:e|es|ed|ing)|grant\w*\s+(?:\w+\s+){0,2}recognition|recogni[sz]ed\s+as\s+the\s+legitimate)\b"
    r"(?!\s+(?:\w+\s+){0,4}as\s+(?:an?\s+)?(?:terrorist|extremist|banned))",
    _I,
)
# Wording that makes a recognition a non-event ("stopped short of recognizing").
NOT_RECOGNIZED = re.compile(
    r"\b(?:without|short\s+of|not|no|never|none|nor|n't|refus\w*|declin\w*|hesita\w*|prerogative|does\s+not\s+signify"
    r"|does\s+not\s+(?:constitute|mean|amount)|unchanged|position\s+on|question\s+of)\b",
    _I,
)
SIMILAR_POLICY = re.compile(
    r"\b(?:similar|same)\s+(?:\w+\s+){0,2}(?:arrangements?|polic(?:y|ies)|principles?|approach(?:es)?"
    r"|practices?|steps?|moves?|decisions?)\b",
    _I,
)

# Wording that makes "others did the same" a possibility rather than a fact.
SPECULATIVE = re.compile(r"\b(?:would|could|might|may|likely|unlikely|if|whether|expected\s+to)\b", _I)

# -- trade and deals -----------------------------------------------------------------------
TRADE = re.compile(
    r"\b(?:trade|trading\s+volume|turnover|exports?|exported|exporting|imports?|imported|importing"
    r"|shipments?|deliveries|goods\s+(?:went|flowed|worth)|commerce|bought(?=\s+from)|purchases(?=\s+from))\b",
    _I,
)
# The closing \b keeps "according", "packaged" and "dealers" from passing for deal nouns.
DEAL = re.compile(
    r"\b(?:deals?|contracts?|agreements?|accords?|memorand(?:um|a)|MoUs?|package|investment\s+agreement"
    r"|agreed\s+(?:on|to)\s+(?:the\s+)?(?:delivery|deliveries|supply|supplies|sale|purchase|export))\b",
    _I,
)
# A figure for a target rather than a result: aims, plans, tasks and goals.
TARGET = re.compile(
    r"\b(?:target(?:s|ed|ing)?|goal|aim(?:s|ed|ing)?|plan(?:s|ned|ning)?|task|wants?|wish\w*|ambition\w*|intend\w*|seek\w*|hop(?:e|es|ing)"
    r"|commit\w*|pledg\w*|resolv\w*|vow\w*|agree(?:d|s)?\s+(?:\w+\s+){0,3}to|work(?:ing)?\s+towards?|hoped|could|can|would|will|able\s+to|potential\s+to|expect\w*|envisag\w*"
    r"|(?:to|of)\s+(?:increas|rais|boost|doubl|tripl|bring|lift|expand|grow)\w*)\b",
    _I,
)
INCREASE_TO = re.compile(
    r"\b(?:increas|rais|boost|doubl|tripl|quadrupl|bring|bringing|lift|expand|grow|reach)\w*\b[^.;]{0,80}?\b(?:to|up\s+to)\s*$",
    _I,
)
# Sector qualifiers: "agricultural trade" is part of trade, never the bilateral total.
SECTOR_TRADE = re.compile(
    r"\b(?:agricultural|agri-food|food|grain|wheat|flour|energy|oil|gas|electricity|fuel|coal|textile|cotton|fruit"
    r"|transit|cargo|border|barter)\s+(?:trade\s+)?(?:trade|turnover|volume|exports?|imports?)\b",
    _I,
)
# The turnover of a facility ("a trade centre with an annual turnover of ...") is not trade between states.
FACILITY_TURNOVER = re.compile(
    r"\b(?:cent(?:er|re)|hub|house|zone|market|company|firm|exchange|port|terminal)\b[^.;]{0,60}\bturnover\b", _I
)
# Trade words that name an institution or a relationship, not a figure.
TRADE_INSTITUTION = re.compile(
    r"\b(?:ministry|minister|chamber|department|committee|office|council|organi[sz]ation|agency|bureau)\s+of\s+"
    r"(?:\w+\s+(?:and\s+)?)?(?:trade|commerce)\b|\b(?:trade|commerce|industry)\s+(?:and\s+\w+\s+)?"
    r"(?:minister|ministry|house|centre|center|mission|office|fair|zone|routes?|corridor|ties|relations|cooperation"
    r"|talks|delegation|representative|council|union|war)\b|\btransit\s+trade\b",
    _I,
)
# A state's trade with the whole world is not trade between two states.
WORLD_TRADE = re.compile(
    r"\b(?:total\s+|overall\s+)?(?:foreign|external|global|world|overall|international)\s+(?:\w+\s+)?"
    r"(?:trade|turnover|exports?|imports?)\b",
    _I,
)
# Counterfactuals: "Were the railway finished, trade could in theory reach ...".
HYPOTHETICAL = re.compile(r"^\s*(?:Were|Had|Should)\s+\w+|\bin\s+theory\b|\bhypothetical\w*\b", _I)
# Costs, loans and estimates of projects are not deals nor trade.
PROJECT_MONEY = re.compile(
    r"\b(?:cost(?:s|ing)?|loan|credit\s+line|budget|estimated\s+at|investment\s+potential|export\s+potential"
    r"|capacity|worth\s+of\s+damage|aid|assistance|donat\w+|grant|loss(?:es)?|spent|fine[sd]?)\b",
    _I,
)
COMPARISON_BASE = re.compile(
    r"\b(?:compared\s+(?:to|with)|than|(?<!effect\s)(?<!effective\s)from|as\s+in|over|versus|vs\.?|up\s+from|down\s+from"
    r"|previous|figures?\s+for)\s*$",
    _I,
)

# A correction notice: what "an earlier version ... said" is withdrawn, not reported.
CORRECTION = re.compile(
    r"^\W*(?:Correction|Clarification)s?\b|\b(?:an?|the)\s+(?:earlier|previous|original|prior)\s+version\s+of\s+this"
    r"\s+(?:article|story|report|item|piece)\b",
    _I,
)
RETRACTED_LEAD = re.compile(
    r"\b(?:said|stated|reported|gave|put|misstated|misreported|incorrectly\s+\w+|wrongly\s+\w+)\b", _I
)

# -- attribution, anaphora and discourse ------------------------------------------------
ACCORDING_TO = re.compile(r"\baccording\s+to\s+", _I)
SPEECH_VERB = re.compile(
    r"\b(?:said|says|stated|noted|added|highlighted|recalled|told|tells|announced|reported|estimat\w+|claimed|cited"
    r"|emphasi[sz]ed|stressed|confirmed|explained|pointed\s+out|informed|informs|reminded|reminds"
    r"|(?:re)?affirmed|underlined|underscored|mentioned|remarked|asserted|acknowledged)\b",
    _I,
)
# Verbs by which data, not people, give a figure: "customs data show", "the committee counted",
# "the ministry puts trade at $X". Their subject must name a source (see attribution.py).
DATA_VERB = re.compile(
    r"\b(?:show|shows|showed|shown|recorded|records|counted|counts"
    r"|puts?(?=\s[^.;]{0,80}?\bat\s+(?:[a-z]+\s+){0,2}\S*\d))\b",
    _I,
)
ANNOUNCEMENT = re.compile(
    r"\b(?:in\s+a\s+statement|statement|announc\w+|said|reported|told\s+reporters|press\s+service|confirmed)\b", _I
)
SAME_EVENT = re.compile(
    r"\b(?:that|the\s+same|this)\s+(?:visit|trip|meeting|forum|summit|event|day|week|occasion|conference|talks|session)\b"
    r"|\b(?:on|at)\s+the\s+sidelines\b"
    r"|^\s*(?:As\s+a\s+result|There|Then|At\s+the\s+(?:same\s+)?(?:forum|meeting|summit|event))\b",
    _I,
)
EVENT_NOUN = re.compile(
    r"\b(?:business\s+forum|forum|summit|visit|trip|meeting|conference|talks|exhibition|session)\b", _I
)
PAIR_ANAPHOR = re.compile(
    r"\b(?:the\s+two\s+(?:countries|nations|states|sides|neighbou?rs)|the\s+countries|both\s+(?:countries|sides|nations)"
    r"|the\s+parties|bilateral|mutual|two-way)\b",
    _I,
)
COUNTRY_ANAPHOR = re.compile(
    r"\b(?:the\s+country|the\s+republic|the\s+government|the\s+state|that\s+list|the\s+list|the\s+register|its\s+list"
    r"|the\s+document|the\s+country[’']s|it\s+had\s+held|the\s+authorities)\b",
    _I,
)
# A sentence that goes on about the previous figure: "This amount decreased to ...".
THIS_FIGURE = re.compile(r"^\s*(?:This|That|The)\s+(?:amount|figure|sum|value|total)\b", _I)
OTHER_DIRECTION = re.compile(r"\b(?:in|the)\s+(?:the\s+)?(?:other|opposite|reverse)\s+(?:direction|way)\b", _I)
SAME_PERIOD = re.compile(r"\bthe\s+same\s+period\s+(?:in|of)\s+(?:(\d{4})|last\s+year|the\s+previous\s+year)\b", _I)
