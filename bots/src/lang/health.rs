//! `/healthid`, `/family` and `/profile`: health IDs, dependants and profiles.

use super::{Help, Text};

pub const HELP_HEALTHID: Help = Help {
    args: Text::new("[new|ID|delete]", "[new|ID|delete]"),
    about: Text::new("your health ID and its card", "आपकी हेल्थ ID और उसका कार्ड"),
};
pub const HELP_FAMILY: Help = Help {
    args: Text::new("[add]", "[add]"),
    about: Text::new(
        "health IDs of people you look after",
        "जिनकी आप देखभाल करते हैं उनकी हेल्थ ID",
    ),
};
pub const HELP_PROFILE: Help = Help {
    args: Text::new("[edit] [ID]", "[edit] [ID]"),
    about: Text::new(
        "blood group, allergies, conditions, medications, emergency contact",
        "ब्लड ग्रुप, एलर्जी, बीमारियाँ, दवाएँ, आपातकालीन संपर्क",
    ),
};

pub const NO_HEALTH_ID: Text = Text::new(
    "You have no health ID yet. Get your own, or make one for someone you look after.",
    "आपकी अभी कोई हेल्थ ID नहीं है। अपनी बनवाएँ, या जिनकी देखभाल करते हैं उनके लिए बनाएँ।",
);
pub const ISSUE_BUTTON: Text = Text::new("🪪 My health ID", "🪪 मेरी हेल्थ ID");
pub const ADD_DEPENDANT_BUTTON: Text = Text::new("➕ Family member", "➕ परिवार का सदस्य");
pub const WHICH_ID: Text = Text::new("Which health ID?", "कौन सी हेल्थ ID?");
pub const NO_SUCH_PLACE: Text = Text::new(
    "There is no number {0} in your list of {1} health IDs.",
    "आपकी {1} हेल्थ ID की सूची में {0} नंबर नहीं है।",
);
pub const CARD: Text = Text::new(
    "🪪 {0}\nHealth ID: {1}\nHealth address: {2}",
    "🪪 {0}\nहेल्थ ID: {1}\nहेल्थ पता: {2}",
);
pub const CARD_GUARDED: Text = Text::new("Born {1}; looked after by {0}", "जन्म {1}; देखभाल: {0}");
pub const ISSUED: Text = Text::new(
    "Your health ID is ready. Show the card (or its number) at any hospital of the network.",
    "आपकी हेल्थ ID तैयार है। नेटवर्क के किसी भी अस्पताल में कार्ड (या उसका नंबर) दिखाएँ।",
);
pub const ERASE_ID_CONFIRM: Text = Text::new(
    "Erase health ID {0} with its profile, records and consents? Grants end at once. Only the audit log stays. This cannot be undone.",
    "हेल्थ ID {0} को उसकी प्रोफ़ाइल, रिकॉर्ड और सहमतियों के साथ मिटाएँ? दी गई सहमतियाँ तुरंत खत्म होंगी। केवल ऑडिट लॉग रहेगा। इसे वापस नहीं किया जा सकता।",
);
pub const ERASE_ID_BUTTON: Text = Text::new("🗑 Yes, erase it", "🗑 हाँ, मिटाएँ");
pub const KEEP_BUTTON: Text = Text::new("Keep it", "रहने दें");
pub const ID_ERASED: Text = Text::new(
    "Health ID {0} is erased. Nodes that held a grant were told.",
    "हेल्थ ID {0} मिटा दी गई। जिन नोडों के पास सहमति थी उन्हें बता दिया गया।",
);

pub const ASK_BIRTH_YEAR: Text = Text::new(
    "In which year was the person born? (e.g. 1950)",
    "व्यक्ति का जन्म किस वर्ष हुआ? (जैसे 1950)",
);
pub const ASK_DEPENDANT_NAME: Text = Text::new(
    "Their full name, as on their documents?",
    "उनका पूरा नाम, जैसा दस्तावेज़ों में है?",
);
pub const DEPENDANT_ADDED: Text = Text::new(
    "{0} now has a health ID, and you are their guardian: you see their records, decide on consents and get their notices.",
    "{0} की अब हेल्थ ID है और आप उनके अभिभावक हैं: आप उनके रिकॉर्ड देखेंगे, सहमति तय करेंगे और उनकी सूचनाएँ पाएँगे।",
);
pub const NO_DEPENDANTS: Text = Text::new(
    "You look after nobody here yet. Add a parent or a child: they need no phone.",
    "आप अभी यहाँ किसी की देखभाल नहीं करते। माता-पिता या बच्चे को जोड़ें: उन्हें फ़ोन की ज़रूरत नहीं।",
);
pub const FAMILY_HEADER: Text = Text::new("People you look after:", "जिनकी आप देखभाल करते हैं:");
pub const DEPENDANT_LINE: Text = Text::new("👤 {0} (born {1}): {2}", "👤 {0} (जन्म {1}): {2}");
pub const CARD_BUTTON: Text = Text::new("🪪 Card", "🪪 कार्ड");
pub const PROFILE_BUTTON: Text = Text::new("Profile", "प्रोफ़ाइल");
pub const RECORDS_BUTTON: Text = Text::new("Records", "रिकॉर्ड");
pub const FAMILY_MORE: Text = Text::new(
    "Add someone else, or erase an ID with {p}healthid delete ID.",
    "किसी और को जोड़ें, या {p}healthid delete ID से कोई ID मिटाएँ।",
);

pub const EDITING_PROFILE: Text = Text::new(
    "Profile of {0}: each answer is saved at once; Skip keeps what is there, \"none\" empties it.",
    "{0} की प्रोफ़ाइल: हर उत्तर तुरंत सहेजा जाता है; छोड़ें से पुराना रहता है, \"कोई नहीं\" से खाली होता है।",
);
pub const ASK_BLOOD_GROUP: Text = Text::new("Blood group?", "ब्लड ग्रुप?");
pub const BAD_BLOOD_GROUP: Text = Text::new(
    "\"{0}\" is not a blood group (A+, O-, AB+ …).",
    "\"{0}\" कोई ब्लड ग्रुप नहीं है (A+, O-, AB+ …)।",
);
pub const ASK_ALLERGIES: Text = Text::new(
    "Allergies? (separate them with commas)",
    "एलर्जी? (अल्पविराम से अलग करें)",
);
pub const ASK_CONDITIONS: Text = Text::new(
    "Long-term conditions? (e.g. diabetes, asthma)",
    "पुरानी बीमारियाँ? (जैसे डायबिटीज़, अस्थमा)",
);
pub const ASK_MEDICATIONS: Text = Text::new(
    "Medications taken regularly?",
    "नियमित रूप से ली जाने वाली दवाएँ?",
);
pub const ASK_CONTACT: Text = Text::new(
    "Emergency contact? (name and phone)",
    "आपातकालीन संपर्क? (नाम और फ़ोन)",
);
pub const PROFILE: Text = Text::new(
    "Profile of {0}\nBlood group: {1}\nAllergies: {2}\nConditions: {3}\nMedications: {4}\nEmergency contact: {5}",
    "{0} की प्रोफ़ाइल\nब्लड ग्रुप: {1}\nएलर्जी: {2}\nबीमारियाँ: {3}\nदवाएँ: {4}\nआपातकालीन संपर्क: {5}",
);
pub const EDIT_BUTTON: Text = Text::new("✏️ Edit", "✏️ बदलें");
pub const PROFILE_SAVED: Text = Text::new("Profile saved.", "प्रोफ़ाइल सहेज ली गई।");
pub const IDS_CHANGED: Text = Text::new(
    "Your list of health IDs changed meanwhile; nothing more was saved. Send {p}profile edit again.",
    "इस बीच आपकी हेल्थ ID की सूची बदल गई; आगे कुछ नहीं सहेजा गया। {p}profile edit फिर भेजें।",
);
