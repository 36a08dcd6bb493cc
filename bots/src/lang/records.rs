//! `/records`, `/upload` and `/consent`: health records, uploads, consent and the audit.

use super::{Help, Text};

pub const HELP_RECORDS: Help = Help {
    args: Text::new("[ID]", "[ID]"),
    about: Text::new(
        "health records: list and download",
        "स्वास्थ्य रिकॉर्ड: सूची और डाउनलोड",
    ),
};
pub const HELP_UPLOAD: Help = Help {
    args: Text::new("", ""),
    about: Text::new(
        "staff: upload a report for a health ID",
        "स्टाफ़: किसी हेल्थ ID के लिए रिपोर्ट अपलोड करें",
    ),
};
pub const HELP_CONSENT: Help = Help {
    args: Text::new("[audit|ask ID]", "[audit|ask ID]"),
    about: Text::new(
        "who may read your records; staff ask for consent",
        "आपके रिकॉर्ड कौन पढ़ सकता है; स्टाफ़ सहमति माँगें",
    ),
};

pub const RECORDS_USAGE: Text = Text::new(
    "Send {p}records ID with the person's health ID. You see records while they grant you consent.",
    "व्यक्ति की हेल्थ ID के साथ {p}records ID भेजें। सहमति मिलने पर ही रिकॉर्ड दिखते हैं।",
);
pub const NO_RECORDS: Text = Text::new("No records for {0} yet.", "{0} के लिए अभी कोई रिकॉर्ड नहीं।");
pub const RECORDS_HEADER: Text = Text::new(
    "Records of {0} (press a number to download):",
    "{0} के रिकॉर्ड (डाउनलोड के लिए नंबर दबाएँ):",
);
pub const RECORD_LINE: Text = Text::new(
    "{0}. {1} · {2}: {3} · {4} · {5}",
    "{0}. {1} · {2}: {3} · {4} · {5}",
);
pub const RECORD_USAGE: Text = Text::new(
    "Write {p}records get ID RECORD (the buttons of {p}records fill it in).",
    "{p}records get ID RECORD लिखें ({p}records के बटन इसे भर देते हैं)।",
);
pub const DOCUMENT_CAPTION: Text = Text::new("📄 {0} ({1})", "📄 {0} ({1})");
pub const ERASE_RECORD_BUTTON: Text = Text::new("🗑 Erase this record", "🗑 यह रिकॉर्ड मिटाएँ");
pub const ERASE_RECORD_CONFIRM: Text = Text::new(
    "Erase this record? Nodes holding a grant are told. This cannot be undone.",
    "यह रिकॉर्ड मिटाएँ? जिन नोडों के पास सहमति है उन्हें बताया जाएगा। इसे वापस नहीं किया जा सकता।",
);
pub const ERASE_RECORD_YES: Text = Text::new("🗑 Yes, erase", "🗑 हाँ, मिटाएँ");
pub const KEEP_RECORD: Text = Text::new("Keep it", "रहने दें");
pub const RECORD_ERASED: Text = Text::new("The record is erased.", "रिकॉर्ड मिटा दिया गया।");

pub const UPLOAD_USAGE: Text = Text::new(
    "To upload a report, send the file (PDF, photo or text, up to 20 MB) with a caption: the health ID, the record type, then a title and a date if you like, e.g.\n42-1730-0000-0011 lab report 2024-05-01 Blood count\nTypes: {0}.",
    "रिपोर्ट अपलोड करने के लिए फ़ाइल (PDF, फ़ोटो या टेक्स्ट, 20 MB तक) कैप्शन के साथ भेजें: हेल्थ ID, रिकॉर्ड का प्रकार, फिर चाहें तो शीर्षक और तारीख़, जैसे\n42-1730-0000-0011 lab report 2024-05-01 Blood count\nप्रकार: {0}।",
);
pub const FILE_TOO_LARGE: Text = Text::new(
    "That file is {0} MB; a record may be at most 20 MB.",
    "यह फ़ाइल {0} MB की है; रिकॉर्ड अधिकतम 20 MB का हो सकता है।",
);
pub const FILE_UNFETCHED: Text = Text::new(
    "I could not fetch that file from the chat. Please send it again.",
    "मैं चैट से वह फ़ाइल नहीं ले सका। कृपया फिर से भेजें।",
);
pub const UPLOAD_STORED: Text = Text::new(
    "Stored: \"{0}\" for {1} (sha256 {2}…). The person is told.",
    "सहेजा गया: {1} के लिए \"{0}\" (sha256 {2}…)। व्यक्ति को बता दिया गया।",
);
pub const UPLOAD_SENDING: Text = Text::new(
    "Sending \"{0}\" to the home node of {1} (sha256 {2}…). I will tell you when it is stored there.",
    "\"{0}\" को {1} के होम नोड पर भेजा जा रहा है (sha256 {2}…)। वहाँ सहेजे जाने पर बताऊँगा।",
);

pub const CONSENT_USAGE: Text = Text::new(
    "{p}consent – asks and grants; {p}consent audit [ID] – who read what; staff: {p}consent ask ID.",
    "{p}consent – अनुरोध और सहमतियाँ; {p}consent audit [ID] – किसने क्या पढ़ा; स्टाफ़: {p}consent ask ID।",
);
pub const NO_CONSENTS: Text = Text::new(
    "No consent asks and no live grants.",
    "कोई सहमति अनुरोध नहीं और कोई चालू सहमति नहीं।",
);
pub const CONSENTS_HEADER: Text = Text::new("Consents:", "सहमतियाँ:");
pub const CONSENT_CARD: Text = Text::new(
    "🔐 {0} ({1}) asks to read the records of {2}.\nAsked by: {3}\nPurpose: {4}\nRecord types: {5}\nRecords dated: {6}\nUntil: {7}\nStatus: {8}",
    "🔐 {0} ({1}) {2} के रिकॉर्ड पढ़ना चाहता है।\nअनुरोधकर्ता: {3}\nउद्देश्य: {4}\nरिकॉर्ड के प्रकार: {5}\nरिकॉर्ड की तारीख़ें: {6}\nकब तक: {7}\nस्थिति: {8}",
);
pub const ANY_DATE: Text = Text::new("any date", "कोई भी तारीख़");
pub const GRANT_BUTTON: Text = Text::new("✅ Grant", "✅ अनुमति दें");
pub const DENY_BUTTON: Text = Text::new("❌ Deny", "❌ मना करें");
pub const REVOKE_BUTTON: Text = Text::new("⛔ Revoke", "⛔ वापस लें");
pub const AUDIT_BUTTON: Text = Text::new("📜 Audit log", "📜 ऑडिट लॉग");
pub const CONSENT_MORE: Text = Text::new(
    "Every read of your records is in the audit log.",
    "आपके रिकॉर्ड का हर पढ़ा जाना ऑडिट लॉग में है।",
);
pub const NO_SUCH_CONSENT: Text =
    Text::new("No consent {0} of yours.", "आपकी कोई सहमति {0} नहीं है।");
pub const GRANTED: Text = Text::new(
    "Granted: {0} may read these records until {1}. You can revoke it at any time.",
    "अनुमति दी: {0} ये रिकॉर्ड {1} तक पढ़ सकता है। आप कभी भी वापस ले सकते हैं।",
);
pub const DENIED: Text = Text::new(
    "Denied: {0} reads nothing.",
    "मना किया: {0} कुछ नहीं पढ़ सकता।",
);
pub const REVOKED: Text = Text::new(
    "Revoked: {0} can no longer read these records.",
    "वापस लिया: {0} अब ये रिकॉर्ड नहीं पढ़ सकता।",
);
pub const AUDIT_HEADER: Text = Text::new("Audit log of {0}:", "{0} का ऑडिट लॉग:");

pub const ASK_USAGE: Text = Text::new(
    "Write {p}consent ask ID PURPOSE TYPES DAYS [FROM] [TO], e.g. {p}consent ask 42-1730-0000-0011 care lab report 30. Purposes: {0}. Types: {1}, or all.",
    "{p}consent ask ID उद्देश्य प्रकार दिन [से] [तक] लिखें, जैसे {p}consent ask 42-1730-0000-0011 care lab report 30। उद्देश्य: {0}। प्रकार: {1}, या all।",
);
pub const ASK_PURPOSE: Text = Text::new("For what purpose?", "किस उद्देश्य से?");
pub const ASK_TYPES: Text = Text::new("Which records?", "कौन से रिकॉर्ड?");
pub const ALL_TYPES: Text = Text::new("All types", "सभी प्रकार");
pub const ASK_DAYS: Text = Text::new(
    "For how many days, once granted?",
    "अनुमति मिलने के बाद कितने दिनों के लिए?",
);
pub const ASKED: Text = Text::new(
    "Asked. The holder of {0} decides in their chat; I will tell you.",
    "अनुरोध भेजा गया। {0} के धारक अपनी चैट में तय करेंगे; मैं आपको बताऊँगा।",
);

pub const NOTICE_RECORD: Text = Text::new(
    "📄 A new health record has arrived.",
    "📄 एक नया स्वास्थ्य रिकॉर्ड आया है।",
);
pub const SHOW_RECORDS_BUTTON: Text = Text::new("Show records", "रिकॉर्ड दिखाएँ");
pub const NOTICE_CONSENT_ASKED: Text = Text::new(
    "🔐 A facility asks to read health records you look after.",
    "🔐 एक सुविधा आपके देखे जाने वाले स्वास्थ्य रिकॉर्ड पढ़ना चाहती है।",
);
pub const REVIEW_BUTTON: Text = Text::new("Review", "देखें");
pub const NOTICE_CONSENT_DECIDED: Text = Text::new(
    "🔐 A consent you asked for was decided.",
    "🔐 आपके माँगे गए सहमति अनुरोध पर निर्णय हुआ।",
);
pub const NOTICE_UPLOAD_STORED: Text = Text::new(
    "📄 Your upload {0} is stored at the person's home node.",
    "📄 आपका अपलोड {0} व्यक्ति के होम नोड पर सहेजा गया।",
);
pub const NOTICE_UPLOAD_REFUSED: Text = Text::new(
    "📄 The home node refused your upload {0}.",
    "📄 होम नोड ने आपका अपलोड {0} अस्वीकार किया।",
);
pub const NOTICE_ERASED: Text = Text::new(
    "🗑 Records you could read under consent {0} were erased by the person. Please delete any copies you downloaded.",
    "🗑 सहमति {0} के तहत पढ़े जा सकने वाले रिकॉर्ड व्यक्ति ने मिटा दिए। कृपया डाउनलोड की गई प्रतियाँ हटा दें।",
);
