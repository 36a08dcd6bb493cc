//! `/start`, `/register`, `/approve`, `/pending`, `/link`, `/lang`, `/cancel`.

use super::{Help, Text};

pub const WELCOME: Text = Text::new(
    "Welcome to {0}, a caremesh node for health-care supplies and health records.\nNew here? Send {p}register. Send {p}help for everything I can do.",
    "{0} में आपका स्वागत है, यह स्वास्थ्य आपूर्ति और स्वास्थ्य रिकॉर्ड के लिए caremesh नोड है।\nनए हैं? {p}register भेजें। सभी कमांड के लिए {p}help भेजें।",
);
pub const WELCOME_BACK: Text = Text::new(
    "Welcome back, {0} ({1}). Send {p}help for the commands.",
    "फिर से स्वागत है, {0} ({1})। कमांड के लिए {p}help भेजें।",
);
pub const ALREADY_REGISTERED: Text = Text::new(
    "You are already registered as {0} ({1}).",
    "आप पहले से {0} ({1}) के रूप में पंजीकृत हैं।",
);
pub const ASK_ROLE: Text = Text::new("Who are you? Choose one:", "आप कौन हैं? एक चुनें:");
pub const ASK_LOCATION: Text = Text::new(
    "Where are you? Share your location, or type a place (e.g. Pune) or lat,lon (e.g. 18.52,73.85). Send {p}skip to leave it out.",
    "आप कहाँ हैं? अपना स्थान साझा करें, या जगह का नाम (जैसे पुणे) या lat,lon लिखें (जैसे 18.52,73.85)। छोड़ने के लिए {p}skip भेजें।",
);
pub const REGISTERED: Text = Text::new(
    "Done: you are {0}. Send {p}help to see what you can do.",
    "हो गया: आप {0} हैं। आप क्या कर सकते हैं, यह देखने के लिए {p}help भेजें।",
);
pub const REGISTERED_PENDING: Text = Text::new(
    "Thanks, {0}. An admin must approve your registration on this node; I will tell you when that happens.",
    "धन्यवाद, {0}। इस नोड पर आपके पंजीकरण को एडमिन की मंज़ूरी चाहिए; मंज़ूरी मिलने पर मैं बताऊँगा।",
);
pub const NOTICE_PENDING: Text = Text::new(
    "{0} registered as a requester and waits for approval.",
    "{0} ने अनुरोधकर्ता के रूप में पंजीकरण किया है और मंज़ूरी की प्रतीक्षा में है।",
);
pub const APPROVE_BUTTON: Text = Text::new("Approve {0}", "{0} को मंज़ूरी दें");
pub const NOTICE_APPROVED: Text = Text::new(
    "Your registration was approved. You can now post needs with {p}need.",
    "आपका पंजीकरण स्वीकृत हो गया। अब आप {p}need से ज़रूरत दर्ज कर सकते हैं।",
);
pub const APPROVED_DONE: Text = Text::new("{0} is approved.", "{0} को मंज़ूरी मिल गई।");
pub const APPROVE_USAGE: Text = Text::new(
    "Write {p}approve HANDLE, or {p}approve HANDLE FACILITY_ID to tie a requester or staff member to a facility.",
    "{p}approve HANDLE लिखें, या अनुरोधकर्ता/स्टाफ़ को किसी सुविधा से जोड़ने के लिए {p}approve HANDLE FACILITY_ID।",
);
pub const PENDING_LIST: Text = Text::new("Waiting for approval: {0}", "मंज़ूरी की प्रतीक्षा में: {0}");
pub const NOTHING_PENDING: Text =
    Text::new("Nobody waits for approval.", "कोई मंज़ूरी की प्रतीक्षा में नहीं है।");
pub const LINK_CODE: Text = Text::new(
    "Your one-time code: {0}\nSend {p}link {0} from your other chat account within 10 minutes.",
    "आपका एक-बार का कोड: {0}\nअपने दूसरे चैट खाते से 10 मिनट के भीतर {p}link {0} भेजें।",
);
pub const LINKED: Text = Text::new("Linked: this chat is now {0}.", "जुड़ गया: यह चैट अब {0} है।");

pub const HELP_REGISTER: Help = Help {
    args: Text::new("", ""),
    about: Text::new(
        "join as a requester (health worker), maker or patient",
        "अनुरोधकर्ता (स्वास्थ्य कर्मी), निर्माता या मरीज़ के रूप में जुड़ें",
    ),
};
pub const HELP_LINK: Help = Help {
    args: Text::new("[CODE]", "[CODE]"),
    about: Text::new(
        "use the same account on another chat",
        "दूसरी चैट पर वही खाता",
    ),
};
pub const HELP_LANG: Help = Help {
    args: Text::new("", ""),
    about: Text::new("English / हिन्दी", "English / हिन्दी"),
};
pub const HELP_CANCEL: Help = Help {
    args: Text::new("", ""),
    about: Text::new("stop the current question", "वर्तमान प्रश्न रोकें"),
};
