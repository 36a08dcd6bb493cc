//! `/need`, `/needs`, `/offer`, `/proposals`, the decisions, `/shipped`, `/received`,\n//! `/subscribe`, `/mute`, `/stats`, and the notices about needs and offers.

use super::{Help, Text};

pub const ASK_PRODUCT: Text = Text::new(
    "What do you need? Choose a product or type its name:",
    "आपको क्या चाहिए? उत्पाद चुनें या उसका नाम लिखें:",
);
pub const BAD_PRODUCT: Text = Text::new(
    "`{0}` is not in the catalog. Choose one of the buttons.",
    "`{0}` सूची में नहीं है। कोई बटन चुनें।",
);
pub const ASK_QUANTITY: Text = Text::new("How many? Type a number.", "कितने? संख्या लिखें।");
pub const ASK_NEEDED_BY: Text = Text::new(
    "Needed within how many days? Type a number, or {p}skip.",
    "कितने दिनों में चाहिए? संख्या लिखें, या {p}skip।",
);
pub const ASK_FACILITY: Text = Text::new("For which facility?", "किस सुविधा के लिए?");
pub const NO_FACILITY: Text = Text::new(
    "This node has no facility listed yet; ask the admin to add yours.",
    "इस नोड पर अभी कोई सुविधा दर्ज नहीं है; एडमिन से अपनी सुविधा जुड़वाएँ।",
);
pub const NEED_POSTED: Text = Text::new(
    "Posted: {1} × {0} for {2}. Makers nearby are being told. Id: {3}",
    "दर्ज हुआ: {2} के लिए {1} × {0}। पास के निर्माताओं को बताया जा रहा है। Id: {3}",
);
pub const NO_NEEDS: Text = Text::new("No open needs right now.", "अभी कोई खुली ज़रूरत नहीं है।");
pub const NEEDS_HEADER: Text =
    Text::new("Open needs, nearest first:", "खुली ज़रूरतें, सबसे पास वाली पहले:");
pub const NEED_LINE: Text = Text::new(
    "• {0}: {1} of {2} still needed – {3}, {4} km. Id: {5}",
    "• {0}: {2} में से {1} अभी चाहिए – {3}, {4} km। Id: {5}",
);
pub const OFFER_BUTTON: Text = Text::new("Offer {0}", "पेशकश {0}");
pub const ASK_OFFER_QUANTITY: Text = Text::new(
    "{0}: {1} still needed. How many can you make?",
    "{0}: {1} अभी चाहिए। आप कितने बना सकते हैं?",
);
pub const ASK_MATERIAL: Text = Text::new("Which material?", "कौन सा मटीरियल?");
pub const BAD_MATERIAL: Text = Text::new("Choose a material: {0}.", "मटीरियल चुनें: {0}।");
pub const ASK_ETA: Text = Text::new(
    "In how many days can you deliver? Type a number (1 to 365).",
    "कितने दिनों में पहुँचा सकते हैं? संख्या लिखें (1 से 365)।",
);
pub const OFFER_SENT: Text = Text::new(
    "Offer sent: {0} × {1}. The requester decides; I will tell you.",
    "पेशकश भेजी गई: {0} × {1}। अनुरोधकर्ता निर्णय लेंगे; मैं बताऊँगा।",
);
pub const NO_PROPOSALS: Text = Text::new("No offers yet.", "अभी कोई पेशकश नहीं।");
pub const PROPOSAL_LINE: Text = Text::new(
    "• {0} offers {1} × {3} in {2}, {4} km away, {6} – {5}. Id: {7}",
    "• {0} की पेशकश: {1} × {3}, {2} में, {4} km दूर, {6} – {5}। Id: {7}",
);
pub const CONTACT_LINE: Text = Text::new("  Contact: {0}", "  संपर्क: {0}");
pub const ACCEPT_BUTTON: Text = Text::new("Accept", "स्वीकार");
pub const DEFER_BUTTON: Text = Text::new("Defer", "बाद में");
pub const DECLINE_BUTTON: Text = Text::new("Decline", "अस्वीकार");
pub const SHIPPED_BUTTON: Text = Text::new("Shipped", "भेज दिया");
pub const RECEIVED_BUTTON: Text = Text::new("Received", "मिल गया");
pub const DECIDED_ACCEPT: Text = Text::new(
    "Accepted {0} of {1}. The maker is told.",
    "{1} में से {0} स्वीकार किए। निर्माता को बताया गया।",
);
pub const DECIDED_DEFER: Text = Text::new(
    "Deferred. You can accept it later.",
    "बाद के लिए रखा। आप इसे बाद में स्वीकार कर सकते हैं।",
);
pub const DECIDED_DECLINE: Text = Text::new(
    "Declined. The maker is told.",
    "अस्वीकार किया। निर्माता को बताया गया।",
);
pub const SHIPPED_DONE: Text = Text::new(
    "Marked shipped. The requester will confirm receipt.",
    "भेजा गया दर्ज हुआ। अनुरोधकर्ता प्राप्ति की पुष्टि करेंगे।",
);
pub const RECEIVED_DONE: Text = Text::new(
    "Receipt of {0} × {1} confirmed. Thank you!",
    "{0} × {1} की प्राप्ति की पुष्टि हुई। धन्यवाद!",
);
pub const NOTICE_NEW_REQUEST: Text = Text::new(
    "New need near you: {1} × {0} at {2} ({3} km).",
    "आपके पास नई ज़रूरत: {2} पर {1} × {0} ({3} km)।",
);
pub const NOTICE_NEW_PROPOSAL: Text = Text::new(
    "New offer on your need for {0}: {1} × {2} from {3} ({4} km).",
    "{0} की आपकी ज़रूरत पर नई पेशकश: {3} से {1} × {2} ({4} km)।",
);
pub const NOTICE_ACCEPTED: Text = Text::new(
    "Your offer of {1} × {0} was accepted. Send {p}shipped {2} when it leaves.",
    "आपकी {1} × {0} की पेशकश स्वीकार हुई। भेजने पर {p}shipped {2} भेजें।",
);
pub const NOTICE_DEFERRED: Text = Text::new(
    "Your offer for {0} was deferred for now.",
    "{0} के लिए आपकी पेशकश अभी रोकी गई है।",
);
pub const NOTICE_DECLINED: Text = Text::new(
    "Your offer for {0} was declined.",
    "{0} के लिए आपकी पेशकश अस्वीकार हुई।",
);
pub const NOTICE_SHIPPED: Text = Text::new(
    "{1} × {0} were shipped by {2}. Send {p}received {3} when they arrive.",
    "{2} ने {1} × {0} भेज दिए। पहुँचने पर {p}received {3} भेजें।",
);
pub const NOTICE_RECEIVED: Text = Text::new(
    "Your {1} × {0} arrived. Thank you!",
    "आपके {1} × {0} पहुँच गए। धन्यवाद!",
);
pub const ASK_RADIUS: Text = Text::new(
    "Alert me about needs within how many km?",
    "कितने km के भीतर की ज़रूरतों की सूचना चाहिए?",
);
pub const BAD_RADIUS: Text = Text::new(
    "Please type a distance from 1 to 20000 km.",
    "कृपया 1 से 20000 km तक की दूरी लिखें।",
);
pub const ASK_PRODUCTS: Text = Text::new(
    "Which products? Type slugs separated by commas, or choose All.",
    "कौन से उत्पाद? कॉमा से अलग slug लिखें, या सभी चुनें।",
);
pub const ALL_PRODUCTS: Text = Text::new("All products", "सभी उत्पाद");
pub const SUBSCRIBED: Text = Text::new(
    "Subscribed: needs within {0} km for {1}. Send {p}mute to pause.",
    "सूचना चालू: {0} km के भीतर {1} की ज़रूरतें। रोकने के लिए {p}mute भेजें।",
);
pub const MUTED: Text = Text::new(
    "Alerts paused. Send {p}subscribe to resume.",
    "सूचनाएँ रोकी गईं। फिर शुरू करने के लिए {p}subscribe भेजें।",
);
pub const UNMUTED: Text = Text::new("Alerts resumed.", "सूचनाएँ फिर शुरू।");
pub const NO_SUBSCRIPTION: Text = Text::new(
    "You have no alerts set. Send {p}subscribe.",
    "आपकी कोई सूचना सेट नहीं है। {p}subscribe भेजें।",
);
pub const STATS_HEADER: Text = Text::new(
    "Needed / accepted / received per product:",
    "प्रति उत्पाद ज़रूरत / स्वीकृत / प्राप्त:",
);
pub const STATS_CHART: Text = Text::new(
    "Needed, accepted and received per product.",
    "हर उत्पाद की ज़रूरत, स्वीकृत और प्राप्त मात्रा।",
);
pub const STATS_LINE: Text = Text::new("{0}: {1} / {2} / {3} {4}", "{0}: {1} / {2} / {3} {4}");
pub const NO_STATS: Text = Text::new("No needs posted yet.", "अभी कोई ज़रूरत दर्ज नहीं है।");
pub const CHART_NEEDED: Text = Text::new("needed", "ज़रूरत");
pub const CHART_ACCEPTED: Text = Text::new("accepted", "स्वीकृत");
pub const CHART_RECEIVED: Text = Text::new("received", "प्राप्त");
pub const NOTICE_LAPSED: Text = Text::new(
    "Your offer for {0} lapsed: it was not shipped by its date.",
    "{0} के लिए आपकी पेशकश की समय-सीमा बीत गई: तय तारीख तक भेजी नहीं गई।",
);

pub const HELP_NEED: Help = Help {
    args: Text::new("", ""),
    about: Text::new("post a need (guided)", "ज़रूरत दर्ज करें (चरणबद्ध)"),
};
pub const HELP_NEEDS: Help = Help {
    args: Text::new("", ""),
    about: Text::new(
        "open needs near you, with an Offer button",
        "आपके पास की खुली ज़रूरतें, Offer बटन के साथ",
    ),
};
pub const HELP_OFFER: Help = Help {
    args: Text::new("ID", "ID"),
    about: Text::new("offer goods for a need", "किसी ज़रूरत के लिए सामान की पेशकश"),
};
pub const HELP_PROPOSALS: Help = Help {
    args: Text::new("", ""),
    about: Text::new(
        "offers on your needs, or your own offers",
        "आपकी ज़रूरतों पर पेशकशें, या आपकी अपनी पेशकशें",
    ),
};
pub const HELP_ACCEPT: Help = Help {
    args: Text::new("ID", "ID"),
    about: Text::new("accept an offer", "पेशकश स्वीकार करें"),
};
pub const HELP_DEFER: Help = Help {
    args: Text::new("ID", "ID"),
    about: Text::new("decide on an offer later", "पेशकश पर बाद में निर्णय"),
};
pub const HELP_DECLINE: Help = Help {
    args: Text::new("ID", "ID"),
    about: Text::new("decline an offer", "पेशकश अस्वीकार करें"),
};
pub const HELP_SHIPPED: Help = Help {
    args: Text::new("ID", "ID"),
    about: Text::new("you shipped an accepted offer", "स्वीकृत पेशकश भेज दी"),
};
pub const HELP_RECEIVED: Help = Help {
    args: Text::new("ID", "ID"),
    about: Text::new("the goods arrived", "सामान पहुँच गया"),
};
pub const HELP_SUBSCRIBE: Help = Help {
    args: Text::new("[km] [products]", "[km] [उत्पाद]"),
    about: Text::new("alerts for new needs near you", "पास की नई ज़रूरतों की सूचना"),
};
pub const HELP_MUTE: Help = Help {
    args: Text::new("", ""),
    about: Text::new(
        "pause alerts ({p}subscribe resumes)",
        "सूचनाएँ रोकें ({p}subscribe से फिर शुरू)",
    ),
};
pub const HELP_STATS: Help = Help {
    args: Text::new("", ""),
    about: Text::new("needed vs accepted vs received", "ज़रूरत / स्वीकृत / प्राप्त"),
};
