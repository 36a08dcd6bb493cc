//! `/nearby`, `/blood`, `/map`, `/services`, `/symptoms`.

use super::{Help, Text};

pub const ASK_NEARBY: Text = Text::new(
    "Share a location, or type a place (e.g. Pune) or lat,lon, to see facilities near it.",
    "पास की सुविधाएँ देखने के लिए स्थान साझा करें, या जगह का नाम (जैसे पुणे) या lat,lon लिखें।",
);
pub const NO_NEARBY: Text = Text::new(
    "No facilities known near there.",
    "वहाँ के पास कोई सुविधा ज्ञात नहीं है।",
);
pub const NEARBY_CARD: Text = Text::new(
    "{0}. {1} ({2})\n    {3} km · ☎ {4}",
    "{0}. {1} ({2})\n    {3} km · ☎ {4}",
);
pub const NEAR_PLACE: Text = Text::new("Near {0}:", "{0} के पास:");
pub const MAP_USAGE: Text = Text::new(
    "Send {p}map and a facility id, or press 📍 under a {p}nearby answer.",
    "{p}map के साथ सुविधा की id भेजें, या {p}nearby के जवाब में 📍 दबाएँ।",
);
pub const NO_SUCH_FACILITY: Text = Text::new(
    "No facility `{0}` is known here.",
    "`{0}` नाम की कोई सुविधा यहाँ ज्ञात नहीं है।",
);
pub const BLOOD_USAGE: Text = Text::new(
    "Send {p}blood and a group, e.g. {p}blood O-. Groups: {0}.",
    "{p}blood के साथ ब्लड ग्रुप भेजें, जैसे {p}blood O-। ग्रुप: {0}।",
);
pub const SERVICES_USAGE: Text = Text::new(
    "Send {p}services and a facility name, e.g. {p}services Sassoon.",
    "{p}services के साथ सुविधा का नाम भेजें, जैसे {p}services Sassoon।",
);
pub const NO_SERVICES: Text = Text::new(
    "I know no facility called {0}, or it lists no services.",
    "{0} नाम की कोई सुविधा ज्ञात नहीं, या उसकी सेवाएँ दर्ज नहीं हैं।",
);
pub const SERVICES_HEADER: Text = Text::new("{0} – services and prices:", "{0} – सेवाएँ और शुल्क:");
pub const SERVICE_LINE: Text = Text::new("• {0}: {1} {2}", "• {0}: {1} {2}");
pub const ASK_SYMPTOMS: Text = Text::new(
    "Describe the symptoms in a sentence.",
    "लक्षण एक वाक्य में बताएँ।",
);
pub const SYMPTOMS_ANSWER: Text = Text::new(
    "Urgency: {0}. Look for: {1}.\n{2}\nThis is signposting, not a diagnosis.",
    "तात्कालिकता: {0}। दिखाएँ: {1}।\n{2}\nयह केवल मार्गदर्शन है, निदान नहीं।",
);

pub const HELP_NEARBY: Help = Help {
    args: Text::new("[kind] [place]", "[प्रकार] [जगह]"),
    about: Text::new(
        "facilities near a location or place",
        "किसी स्थान या जगह के पास की सुविधाएँ",
    ),
};
pub const HELP_BLOOD: Help = Help {
    args: Text::new("GROUP [place]", "ग्रुप [जगह]"),
    about: Text::new(
        "blood banks with that group in stock",
        "जिन ब्लड बैंकों में वह ग्रुप उपलब्ध है",
    ),
};
pub const HELP_MAP: Help = Help {
    args: Text::new("ID", "ID"),
    about: Text::new("a facility on the map", "सुविधा नक्शे पर"),
};
pub const HELP_SERVICES: Help = Help {
    args: Text::new("NAME", "नाम"),
    about: Text::new(
        "a facility's services and prices",
        "किसी सुविधा की सेवाएँ और शुल्क",
    ),
};
pub const HELP_SYMPTOMS: Help = Help {
    args: Text::new("", ""),
    about: Text::new("which specialty to look for", "किस विशेषज्ञ को दिखाएँ"),
};
