//! The engine's own messages: hints for what it does not understand, who may do what,
//! and what went wrong.

use super::Text;

pub const UNKNOWN_COMMAND: Text = Text::new(
    "I don't know {p}{0}. Send {p}help for the commands.",
    "मैं {p}{0} नहीं जानता। कमांड के लिए {p}help भेजें।",
);
pub const NOT_A_COMMAND: Text = Text::new(
    "I answer commands. Send {p}help to see them.",
    "मैं कमांड का उत्तर देता हूँ। उन्हें देखने के लिए {p}help भेजें।",
);
pub const NOT_REGISTERED: Text = Text::new(
    "You are not registered on this node yet. Send {p}register first.",
    "आप अभी इस नोड पर पंजीकृत नहीं हैं। पहले {p}register भेजें।",
);
pub const PENDING_APPROVAL: Text = Text::new(
    "Your registration as {0} waits for an admin's approval. I will tell you when it is approved.",
    "{0} के रूप में आपका पंजीकरण एडमिन की मंज़ूरी की प्रतीक्षा में है। मंज़ूरी मिलने पर मैं बताऊँगा।",
);
pub const NOT_REQUESTER: Text = Text::new(
    "Only approved requesters can do that. Makers use {p}needs and {p}offer.",
    "यह केवल स्वीकृत अनुरोधकर्ता कर सकते हैं। निर्माता {p}needs और {p}offer का उपयोग करें।",
);
pub const NOT_MAKER: Text = Text::new(
    "Only makers can offer goods. Requesters use {p}need and {p}proposals.",
    "केवल निर्माता पेशकश कर सकते हैं। अनुरोधकर्ता {p}need और {p}proposals का उपयोग करें।",
);
pub const NOT_ADMIN: Text = Text::new(
    "Only a node admin can do that.",
    "यह केवल नोड एडमिन कर सकते हैं।",
);
pub const NOT_STAFF: Text = Text::new(
    "Only staff of this node's facilities (and its admins) can do that.",
    "यह केवल इस नोड की सुविधाओं का स्टाफ़ (और एडमिन) कर सकते हैं।",
);
pub const TOO_LONG: Text = Text::new(
    "That message is too long ({0} characters). Please keep it under {1}.",
    "यह संदेश बहुत लंबा है ({0} अक्षर)। कृपया {1} से कम रखें।",
);
pub const FILE_NOT_SUPPORTED: Text = Text::new(
    "I can't use this file ({0}): files are health records that staff upload. Please type your answer.",
    "मैं यह फ़ाइल ({0}) नहीं ले सकता: फ़ाइलें स्वास्थ्य रिकॉर्ड हैं जिन्हें स्टाफ़ अपलोड करता है। कृपया उत्तर टाइप करें।",
);
pub const STALE_BUTTON: Text = Text::new(
    "That button belongs to an older question. Send the command again to start over.",
    "यह बटन पुराने प्रश्न का है। फिर से शुरू करने के लिए कमांड दोबारा भेजें।",
);
pub const QUESTION_GONE: Text = Text::new(
    "That question can no longer be answered. Please send the command again.",
    "उस प्रश्न का उत्तर अब नहीं दिया जा सकता। कृपया कमांड फिर से भेजें।",
);
pub const UNKNOWN_BUTTON: Text = Text::new(
    "I don't recognise that button. Send {p}help for the commands.",
    "मैं यह बटन नहीं पहचानता। कमांड के लिए {p}help भेजें।",
);
pub const CANCELLED: Text = Text::new(
    "Stopped. Nothing was saved.",
    "रोक दिया। कुछ भी सहेजा नहीं गया।",
);
pub const NOTHING_TO_CANCEL: Text = Text::new("Nothing to cancel.", "रद्द करने को कुछ नहीं है।");
pub const INTERNAL_ERROR: Text = Text::new(
    "Something went wrong on the node. Please try again in a moment.",
    "नोड पर कुछ गड़बड़ हुई। कृपया थोड़ी देर में फिर कोशिश करें।",
);
pub const LANG_CHOOSE: Text = Text::new("Choose a language:", "भाषा चुनें:");
pub const LANG_SET: Text = Text::new("Language set to English.", "भाषा हिन्दी कर दी गई।");
pub const SKIP: Text = Text::new("Skip", "छोड़ें");
pub const SHARE_LOCATION: Text = Text::new("Share location", "स्थान साझा करें");
pub const BAD_LOCATION: Text = Text::new(
    "I need a location as lat,lon with latitude -90..90 and longitude -180..180, e.g. 18.52,73.85.",
    "स्थान lat,lon के रूप में चाहिए, अक्षांश -90..90 और देशांतर -180..180, जैसे 18.52,73.85।",
);
pub const BAD_NUMBER: Text = Text::new(
    "Please type a whole number from {0} to {1}.",
    "कृपया {0} से {1} तक की पूर्ण संख्या लिखें।",
);
/// The member themself, where a dialogue names the person it is for.
pub const YOU: Text = Text::new("you", "आप");
pub const BAD_CHOICE: Text = Text::new("Please choose one of the buttons.", "कृपया कोई एक बटन चुनें।");
pub const ID_USAGE: Text = Text::new(
    "Write {p}{0} ID (the id is shown in the list; the buttons fill it in).",
    "{p}{0} ID लिखें (id सूची में दिखता है; बटन इसे भर देते हैं)।",
);
pub const UNKNOWN_PLACE: Text = Text::new(
    "I don't know a place called \"{0}\".",
    "\"{0}\" नाम की कोई जगह मुझे नहीं मालूम।",
);
pub const ERR_INVALID: Text = Text::new("That did not work: {0}.", "यह नहीं हुआ: {0}।");
pub const ERR_FORBIDDEN: Text = Text::new("Not allowed: {0}.", "अनुमति नहीं: {0}।");
pub const ERR_NO_CONSENT: Text = Text::new(
    "No consent: {0}. The person can grant it with {p}consent.",
    "सहमति नहीं: {0}। व्यक्ति {p}consent से सहमति दे सकता है।",
);
pub const ERR_NOT_FOUND: Text = Text::new("I can't find that: {0}.", "यह नहीं मिला: {0}।");
pub const ERR_CONFLICT: Text = Text::new("Not possible now: {0}.", "अभी संभव नहीं: {0}।");
pub const ERR_UNAVAILABLE: Text = Text::new(
    "The node could not do that right now. Please try again.",
    "नोड अभी यह नहीं कर सका। कृपया फिर कोशिश करें।",
);
pub const UNKNOWN: Text = Text::new("unknown", "अज्ञात");
pub const HELP_HEADER: Text = Text::new("Commands:", "कमांड:");
