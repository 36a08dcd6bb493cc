//! `/order` and `/orders`: ordering medicines from a pharmacy, one's orders, the pharmacy's
//! counter (quote, ready, collected), and what the order notices say.

use super::{Help, Text};

pub const HELP_ORDER: Help = Help {
    args: Text::new("[medicines]", "[दवाइयाँ]"),
    about: Text::new(
        "order medicines from a pharmacy nearby, for you or a dependant",
        "पास की फ़ार्मेसी से अपने या आश्रित के लिए दवाइयाँ मँगाएँ",
    ),
};
pub const HELP_ORDERS: Help = Help {
    args: Text::new("", ""),
    about: Text::new(
        "your medicine orders: confirm or cancel; pharmacy staff: open orders, quote, ready, collected",
        "आपके दवा ऑर्डर: पक्का करें या रद्द करें; फ़ार्मेसी स्टाफ़: खुले ऑर्डर, कीमत बताएँ, तैयार, ले गए",
    ),
};

// The patient's dialogue.
pub const ASK_FOR_WHOM: Text = Text::new("Who are the medicines for?", "दवाइयाँ किसके लिए हैं?");
pub const ASK_WHERE: Text = Text::new(
    "Near where should the pharmacy be? Share your location or type a place.",
    "फ़ार्मेसी कहाँ के पास हो? अपनी लोकेशन भेजें या जगह का नाम लिखें।",
);
pub const NO_PHARMACY: Text = Text::new(
    "No pharmacy found near there. Type another place or share your location.",
    "वहाँ के पास कोई फ़ार्मेसी नहीं मिली। दूसरी जगह लिखें या लोकेशन भेजें।",
);
pub const CHOOSE_PHARMACY: Text = Text::new("Which pharmacy? (distance)", "कौन सी फ़ार्मेसी? (दूरी)");
pub const PHARMACY_LINE: Text = Text::new("{0}. {1} – {2} km", "{0}. {1} – {2} km");
pub const ASK_ITEMS: Text = Text::new(
    "Which medicines, and how many? One per line or separated by commas, e.g.\nparacetamol 500mg x 10\ncetirizine 2 strips",
    "कौन सी दवाइयाँ, कितनी? हर दवा नई पंक्ति में या कॉमा से अलग, जैसे\nपैरासिटामोल 500mg x 10\ncetirizine 2 पत्ते",
);
pub const ITEMS_EMPTY: Text = Text::new(
    "I found no medicine in that. Type a name and how many, e.g. paracetamol 500mg x 10.",
    "इसमें कोई दवा नहीं मिली। नाम और संख्या लिखें, जैसे पैरासिटामोल 500mg x 10।",
);
pub const ITEMS_TOO_MANY: Text = Text::new(
    "At most {0} medicines in one order; split the list.",
    "एक ऑर्डर में ज़्यादा से ज़्यादा {0} दवाइयाँ; सूची बाँट दें।",
);
pub const ITEM_NO_NAME: Text = Text::new(
    "“{0}” has no medicine name. Type it like paracetamol 500mg x 10.",
    "“{0}” में दवा का नाम नहीं है। ऐसे लिखें: पैरासिटामोल 500mg x 10।",
);
pub const ITEM_BAD_COUNT: Text = Text::new(
    "“{0}”: how many must be 1 to {1}.",
    "“{0}”: संख्या 1 से {1} तक होनी चाहिए।",
);
pub const ASK_PRESCRIPTION: Text = Text::new(
    "Attach a prescription? Press one of the prescriptions on record (it goes sealed to this pharmacy only), or skip:",
    "पर्चा जोड़ें? रिकॉर्ड में से एक पर्चा दबाएँ (यह सील होकर सिर्फ़ इसी फ़ार्मेसी को जाता है), या छोड़ें:",
);
pub const PRESCRIPTION_LINE: Text = Text::new("{0}. {1} ({2})", "{0}. {1} ({2})");
pub const CONFIRM_ORDER: Text = Text::new(
    "Send this order to {0} for {1}?\n{2}\nPrescription: {3}",
    "यह ऑर्डर {1} के लिए {0} को भेजें?\n{2}\nपर्चा: {3}",
);
pub const ITEM_LINE: Text = Text::new("• {0} × {1}", "• {0} × {1}");
pub const ATTACHED: Text = Text::new("attached", "जुड़ा है");
pub const NOT_ATTACHED: Text = Text::new("none", "नहीं");
pub const SEND_BUTTON: Text = Text::new("✅ Send", "✅ भेजें");
pub const DROP_BUTTON: Text = Text::new("✖ Cancel", "✖ रद्द करें");
pub const ORDER_DROPPED: Text = Text::new("Nothing was ordered.", "कुछ ऑर्डर नहीं हुआ।");
pub const ORDER_SENT: Text = Text::new(
    "Sent to {0}. Their answer (what they have, the price, when to come) comes here.",
    "{0} को भेज दिया। उनका जवाब (क्या है, कीमत, कब आएँ) यहीं आएगा।",
);

// Lists and steps.
pub const NO_ORDERS: Text = Text::new(
    "No medicine orders yet. Start one with {p}order.",
    "अभी कोई दवा ऑर्डर नहीं। {p}order से शुरू करें।",
);
pub const ORDER_CARD: Text = Text::new("{0} – {1}: {2}\n{3}", "{0} – {1}: {2}\n{3}");
pub const COUNTER_EMPTY: Text = Text::new(
    "No open orders at your pharmacy.",
    "आपकी फ़ार्मेसी में कोई खुला ऑर्डर नहीं।",
);
pub const COUNTER_CARD: Text = Text::new("Order for {0}: {1}{2}\n{3}", "{0} का ऑर्डर: {1}{2}\n{3}");
pub const WITH_PRESCRIPTION: Text = Text::new(" (prescription attached)", " (पर्चा जुड़ा है)");
pub const STATUS_REQUESTED: Text = Text::new("waiting for the pharmacy", "फ़ार्मेसी के जवाब का इंतज़ार");
pub const STATUS_QUOTED: Text = Text::new("quoted", "कीमत बताई");
pub const STATUS_CONFIRMED: Text = Text::new("confirmed", "पक्का");
pub const STATUS_READY: Text = Text::new("ready for pickup", "लेने के लिए तैयार");
pub const STATUS_COLLECTED: Text = Text::new("collected", "ले गए");
pub const STATUS_CANCELLED: Text = Text::new("cancelled", "रद्द");
pub const CONFIRM_BUTTON: Text = Text::new("✅ Confirm", "✅ पक्का करें");
pub const CANCEL_BUTTON: Text = Text::new("✖ Cancel order", "✖ ऑर्डर रद्द करें");
pub const QUOTE_BUTTON: Text = Text::new("💬 Quote", "💬 कीमत बताएँ");
pub const READY_BUTTON: Text = Text::new("📦 Ready", "📦 तैयार");
pub const COLLECTED_BUTTON: Text = Text::new("✔ Collected", "✔ ले गए");
pub const SHOW_BUTTON: Text = Text::new("Show orders", "ऑर्डर देखें");
pub const STEP_SENT: Text = Text::new(
    "Sent to {0}; their answer comes here.",
    "{0} को भेज दिया; जवाब यहीं आएगा।",
);
pub const MARKED: Text = Text::new(
    "Order for {0} is now: {1}. The patient is told.",
    "{0} का ऑर्डर अब: {1}। मरीज़ को बता दिया गया।",
);
pub const ORDERS_USAGE: Text = Text::new(
    "Use {p}orders, then the buttons under an order (or {p}orders confirm|cancel|quote|ready|collected ID).",
    "{p}orders लिखें, फिर ऑर्डर के नीचे के बटन दबाएँ (या {p}orders confirm|cancel|quote|ready|collected ID)।",
);
pub const ASK_REASON: Text = Text::new(
    "Why do you cancel this order? The patient is told.",
    "यह ऑर्डर क्यों रद्द कर रहे हैं? मरीज़ को बताया जाएगा।",
);

// The staff's quote dialogue.
pub const ASK_LINE: Text = Text::new(
    "{0} × {1}: how many do you have, and the price of one? E.g. “{1} 2.50”, “yes 2.50” or “no”.",
    "{0} × {1}: आपके पास कितनी हैं, और एक की कीमत? जैसे “{1} 2.50”, “हाँ 2.50” या “नहीं”।",
);
pub const BAD_LINE: Text = Text::new(
    "I could not read “{0}”. Type how many you have and the price of one (e.g. 10 2.50), or no.",
    "“{0}” समझ नहीं आया। कितनी हैं और एक की कीमत लिखें (जैसे 10 2.50), या नहीं।",
);
pub const LINE_OVER: Text = Text::new(
    "Only {0} were ordered: type 0 to {0}.",
    "सिर्फ़ {0} मँगाई गईं: 0 से {0} तक लिखें।",
);
pub const PRICE_MISSING: Text = Text::new(
    "Add the price of one, e.g. “{0} 2.50”.",
    "एक की कीमत भी लिखें, जैसे “{0} 2.50”।",
);
pub const ASK_PICKUP: Text = Text::new(
    "When can it be collected? E.g. today 6pm, tomorrow 10am, 2026-12-01 17:00 (your local time).",
    "कब ले जा सकते हैं? जैसे आज शाम 6 बजे, कल 10am, 2026-12-01 17:00 (आपका स्थानीय समय)।",
);
pub const BAD_PICKUP: Text = Text::new(
    "“{0}” is no time I know. Type a day and a time, e.g. tomorrow 10am.",
    "“{0}” कोई समय नहीं लगता। दिन और समय लिखें, जैसे कल 10am।",
);
pub const CONFIRM_QUOTE: Text = Text::new(
    "Send this quote?\n{0}\nTotal {1} INR. Pickup {2}.",
    "यह कीमत भेजें?\n{0}\nकुल {1} INR। लेने का समय {2}।",
);
pub const QUOTE_LINE: Text = Text::new(
    "• {0}: {1} of {2} at {3} each",
    "• {0}: {2} में से {1}, {3} प्रति",
);
pub const NOT_AVAILABLE_LINE: Text = Text::new("• {0}: not available", "• {0}: उपलब्ध नहीं");
pub const QUOTE_SENT: Text = Text::new(
    "Quote sent; the patient confirms or cancels in chat.",
    "कीमत भेज दी; मरीज़ चैट में पक्का या रद्द करेगा।",
);
pub const QUOTE_DROPPED: Text = Text::new("No quote was sent.", "कोई कीमत नहीं भेजी गई।");

// Notices to the patient.
pub const QUOTED: Text = Text::new(
    "{0} answered your order for {1}:\n{2}\nTotal {3} {4}. Pickup: {5}.",
    "{0} ने {1} के ऑर्डर का जवाब दिया:\n{2}\nकुल {3} {4}। लेने का समय: {5}।",
);
pub const PICKUP_ASK: Text = Text::new("ask the pharmacy", "फ़ार्मेसी से पूछें");
pub const PHARMACY_SAYS: Text = Text::new("The pharmacy says: {0}", "फ़ार्मेसी का संदेश: {0}");
pub const CONFIRMED: Text = Text::new(
    "{0} confirmed the order for {1}. You will hear when it is ready.",
    "{0} ने {1} का ऑर्डर पक्का किया। तैयार होने पर बताया जाएगा।",
);
pub const READY: Text = Text::new(
    "The order for {1} is ready at {0}. Pickup: {2}. Total {3} {4}.",
    "{1} का ऑर्डर {0} पर तैयार है। लेने का समय: {2}। कुल {3} {4}।",
);
pub const COLLECTED: Text = Text::new(
    "The order for {1} at {0} was collected. Get well soon!",
    "{1} का ऑर्डर {0} से ले लिया गया। जल्दी ठीक हों!",
);
pub const CANCELLED_BY_PHARMACY: Text = Text::new(
    "{0} cancelled the order for {1}: {2}",
    "{0} ने {1} का ऑर्डर रद्द किया: {2}",
);
pub const ORDER_NEWS: Text = Text::new(
    "There is news about a medicine order.",
    "एक दवा ऑर्डर के बारे में नई जानकारी है।",
);

// Notices to the pharmacy's staff.
pub const NEW_ORDER: Text = Text::new(
    "New medicine order for {0}{1}:\n{2}",
    "{0} का नया दवा ऑर्डर{1}:\n{2}",
);
pub const PATIENT_CONFIRMED: Text = Text::new(
    "{0} confirmed the quote: prepare the order and press Ready.",
    "{0} ने कीमत पक्की की: ऑर्डर तैयार करें और तैयार दबाएँ।",
);
pub const PATIENT_CANCELLED: Text =
    Text::new("{0} cancelled their order.", "{0} ने अपना ऑर्डर रद्द किया।");
