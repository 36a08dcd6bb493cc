//! `/book`, `/appointments`, `/agenda`: booking a slot, one's appointments, the staff's day,
//! and what the facility's answers and reminders say.

use caremesh_federation::object::ServiceKind;

use super::words::ChatWord;
use super::{Help, Text};

pub const HELP_BOOK: Help = Help {
    args: Text::new("[service or specialty]", "[सेवा या विशेषज्ञ]"),
    about: Text::new(
        "book an appointment, a test or a vaccination, for you or a dependant",
        "अपने या आश्रित के लिए अपॉइंटमेंट, जाँच या टीका बुक करें",
    ),
};
pub const HELP_APPOINTMENTS: Help = Help {
    args: Text::new("", ""),
    about: Text::new(
        "your appointments and your dependants': cancel, reschedule",
        "आपके और आश्रितों के अपॉइंटमेंट: रद्द करें, समय बदलें",
    ),
};
pub const HELP_AGENDA: Help = Help {
    args: Text::new("[date]", "[तारीख़]"),
    about: Text::new(
        "staff: today's appointments, mark arrived or no-show",
        "स्टाफ़: आज के अपॉइंटमेंट, आए या नहीं आए दर्ज करें",
    ),
};

pub const ASK_FOR_WHOM: Text = Text::new("Who is the appointment for?", "अपॉइंटमेंट किसके लिए है?");
pub const ASK_WHAT: Text = Text::new(
    "What do you need? Type a service or a specialty (e.g. vaccination, blood test, cardiology), or press one:",
    "आपको क्या चाहिए? सेवा या विशेषज्ञ लिखें (जैसे टीका, खून की जाँच, हृदय रोग), या एक दबाएँ:",
);
pub const ASK_WHERE: Text = Text::new(
    "Near where? Share your location or type a place.",
    "कहाँ के पास? अपनी लोकेशन भेजें या जगह का नाम लिखें।",
);
pub const NOTHING_BOOKABLE: Text = Text::new(
    "No facility near you offers “{0}” for booking yet. Try another word, e.g. consultation, vaccination, lab test.",
    "आपके पास कोई केंद्र अभी “{0}” की बुकिंग नहीं देता। दूसरा शब्द आज़माएँ, जैसे consultation, vaccination, lab test।",
);
pub const CHOOSE_OFFER: Text = Text::new(
    "Where would you like to go? (price, distance)",
    "आप कहाँ जाना चाहेंगे? (कीमत, दूरी)",
);
pub const OFFER_LINE: Text = Text::new(
    "{0}. {1} – {2}: {3} {4}, {5} km",
    "{0}. {1} – {2}: {3} {4}, {5} km",
);
pub const ASK_DAY: Text = Text::new(
    "Which day? Press one or type it (today, tomorrow, monday, 2026-12-01).",
    "कौन सा दिन? एक दबाएँ या लिखें (आज, कल, सोमवार, 2026-12-01)।",
);
pub const BAD_DAY: Text = Text::new(
    "“{0}” is not a day I know. Type today, tomorrow, a weekday or a date like 2026-12-01.",
    "“{0}” कोई दिन नहीं लगता। आज, कल, कोई वार या 2026-12-01 जैसी तारीख़ लिखें।",
);
pub const PAST_DAY: Text = Text::new(
    "{0} has passed; choose a day from today on.",
    "{0} बीत चुका है; आज या आगे का दिन चुनें।",
);
pub const NO_SLOTS: Text = Text::new(
    "No free slots on {0}. Choose another day:",
    "{0} को कोई खाली समय नहीं। दूसरा दिन चुनें:",
);
pub const ASK_SLOT: Text = Text::new(
    "Free times on {0} (local time at the facility). Press one or type a time like 10am:",
    "{0} को खाली समय (केंद्र का स्थानीय समय)। एक दबाएँ या 10am जैसा समय लिखें:",
);
pub const BAD_SLOT: Text = Text::new(
    "No free slot at “{0}”. Press one of the times above.",
    "“{0}” पर कोई खाली समय नहीं। ऊपर के समय में से एक दबाएँ।",
);
pub const CONFIRM_BOOKING: Text = Text::new(
    "Book {0} at {1} on {2} for {3}? Price {4} {5}.",
    "{2} को {1} में {0} की बुकिंग {3} के लिए करें? कीमत {4} {5}।",
);
pub const CONFIRM_BUTTON: Text = Text::new("✅ Book", "✅ बुक करें");
pub const DROP_BUTTON: Text = Text::new("✖ Cancel", "✖ रद्द करें");
pub const BOOKING_DROPPED: Text = Text::new("Nothing was booked.", "कुछ बुक नहीं हुआ।");
pub const BOOKING_SENT: Text = Text::new(
    "Sent to {0}. Their answer comes here in a moment.",
    "{0} को भेज दिया। उनका जवाब थोड़ी देर में यहीं आएगा।",
);

pub const NO_APPOINTMENTS: Text = Text::new(
    "No appointments yet. {p}book makes one.",
    "अभी कोई अपॉइंटमेंट नहीं। {p}book से बनाएँ।",
);
pub const APPOINTMENT_LINE: Text =
    Text::new("{0} · {1} · {2} · {3} · {4}", "{0} · {1} · {2} · {3} · {4}");
pub const CANCEL_BUTTON: Text = Text::new("✖ Cancel", "✖ रद्द करें");
pub const RESCHEDULE_BUTTON: Text = Text::new("🔁 Reschedule", "🔁 समय बदलें");
pub const TAKE_BUTTON: Text = Text::new("✅ Take it", "✅ ले लें");
pub const WAIT_BUTTON: Text = Text::new("⏳ Wait for a place", "⏳ जगह का इंतज़ार करें");
pub const APPOINTMENTS_USAGE: Text = Text::new(
    "Send {p}appointments, or press the buttons it shows (cancel, reschedule, take, wait).",
    "{p}appointments भेजें, या उसके बटन दबाएँ (रद्द, समय बदलें, लें, इंतज़ार)।",
);
pub const STEP_SENT: Text = Text::new(
    "Sent to {0}; the answer comes here.",
    "{0} को भेज दिया; जवाब यहीं आएगा।",
);
pub const ASK_NEW_DAY: Text = Text::new(
    "To which day should {0} at {1} move?",
    "{1} में {0} किस दिन पर ले जाएँ?",
);

pub const CONFIRMED: Text = Text::new(
    "✅ Confirmed: {0} at {1}, {2}, for {3}. The calendar file is attached.",
    "✅ पक्का: {2} को {1} में {0}, {3} के लिए। कैलेंडर फ़ाइल साथ है।",
);
pub const REFUSED: Text = Text::new(
    "❌ {0} at {1} on {2} could not be booked: {3}",
    "❌ {2} को {1} में {0} बुक नहीं हो सका: {3}",
);
pub const NEXT_FREE: Text = Text::new(
    "Free places soon after (press one to book it):",
    "जल्द खाली जगहें (बुक करने के लिए एक दबाएँ):",
);
pub const CANCELLED_BY_FACILITY: Text = Text::new(
    "✖ {1} cancelled {0} on {2}: “{3}”",
    "✖ {1} ने {2} का {0} रद्द किया: “{3}”",
);
pub const CANCELLED: Text = Text::new(
    "✖ {0} at {1} on {2} is cancelled.",
    "✖ {2} को {1} में {0} रद्द हो गया।",
);
pub const WAITING: Text = Text::new(
    "⏳ You are number {0} on the waiting list for {1} at {2} on {3}.",
    "⏳ {3} को {2} में {1} की प्रतीक्षा सूची में आपका नंबर {0} है।",
);
pub const OFFERED: Text = Text::new(
    "🎉 A place came free: {0} at {1}, {2}. It is yours if you take it before {3}.",
    "🎉 एक जगह खाली हुई: {2} को {1} में {0}। {3} से पहले लें तो आपकी है।",
);
pub const ANSWER_STATUS: Text = Text::new("{0} at {1} on {2}: {3}.", "{2} को {1} में {0}: {3}।");
pub const REMINDER: Text = Text::new(
    "⏰ Reminder: {0} at {1}, {2}, for {3}.",
    "⏰ याद दिलाना: {2} को {1} में {0}, {3} के लिए।",
);
pub const APPOINTMENT_NEWS: Text = Text::new(
    "There is news about an appointment.",
    "एक अपॉइंटमेंट के बारे में खबर है।",
);
pub const SHOW_BUTTON: Text = Text::new("📅 My appointments", "📅 मेरे अपॉइंटमेंट");
pub const ICS_SUMMARY: Text = Text::new("{0} at {1}", "{1} में {0}");

pub const AGENDA_EMPTY: Text = Text::new("No appointments on {0}.", "{0} को कोई अपॉइंटमेंट नहीं।");
pub const AGENDA_HEADER: Text = Text::new("Appointments on {0}:", "{0} के अपॉइंटमेंट:");
pub const AGENDA_LINE: Text =
    Text::new("{0} · {1} · {2} ({3}) · {4}", "{0} · {1} · {2} ({3}) · {4}");
pub const AGENDA_NO_SHOWS: Text = Text::new(" · missed {0} before", " · पहले {0} बार नहीं आए");
pub const ARRIVED_BUTTON: Text = Text::new("✅ Arrived {0}", "✅ आए {0}");
pub const NO_SHOW_BUTTON: Text = Text::new("✖ No-show {0}", "✖ नहीं आए {0}");
pub const MARKED: Text = Text::new("{0} at {1}: {2}.", "{1} पर {0}: {2}।");

pub const STATUS_REQUESTED: Text = Text::new("waiting for the answer", "जवाब का इंतज़ार");
pub const STATUS_CONFIRMED: Text = Text::new("confirmed", "पक्का");
pub const STATUS_REFUSED: Text = Text::new("refused", "अस्वीकार");
pub const STATUS_WAITING: Text = Text::new("on the waiting list", "प्रतीक्षा सूची में");
pub const STATUS_OFFERED: Text = Text::new("a place is offered", "जगह मिल रही है");
pub const STATUS_CANCELLED: Text = Text::new("cancelled", "रद्द");
pub const STATUS_ARRIVED: Text = Text::new("arrived", "आ गए");
pub const STATUS_NO_SHOW: Text = Text::new("did not come", "नहीं आए");

pub const KIND_CONSULTATION: Text = Text::new("🩺 Consultation", "🩺 डॉक्टर से परामर्श");
pub const KIND_VACCINATION: Text = Text::new("💉 Vaccination", "💉 टीका");
pub const KIND_LAB_TEST: Text = Text::new("🧪 Lab test", "🧪 जाँच");
pub const BOOK_SPECIALTY_BUTTON: Text = Text::new("📅 Book {0}", "📅 {0} बुक करें");

/// What to look for: a kind when the words name one, else the text (a service's name or
/// a specialty), shortened.
pub fn what_of(typed: &str) -> String {
    match ServiceKind::parse(typed) {
        Some(kind) => kind.as_str().to_owned(),
        None => typed.trim().to_lowercase().chars().take(80).collect(),
    }
}

pub const SCHEDULES_NONE: Text = Text::new(
    "No schedules yet. Add one:\n{p}facility {0} schedule add Vaccination days=mon,wed,fri 09:00-13:00 slot=15 capacity=2 price=250",
    "अभी कोई समय-सारणी नहीं। जोड़ें:\n{p}facility {0} schedule add Vaccination days=mon,wed,fri 09:00-13:00 slot=15 capacity=2 price=250",
);
pub const SCHEDULES_HEADER: Text = Text::new("Schedules of {0}:", "{0} की समय-सारणियाँ:");
pub const SCHEDULE_LINE: Text = Text::new(
    "• {0} ({1}): {2} {3}–{4}, {5} min, {6} a slot, {7} {8} [{9}]",
    "• {0} ({1}): {2} {3}–{4}, {5} मिनट, हर स्लॉट में {6}, {7} {8} [{9}]",
);
pub const SCHEDULE_ADDED: Text = Text::new(
    "Added: {0}. Patients can book it with {p}book.",
    "जोड़ दिया: {0}। मरीज़ इसे {p}book से बुक कर सकते हैं।",
);
pub const SCHEDULE_REMOVED: Text = Text::new(
    "Removed: {0}. Appointments already booked stay.",
    "हटा दिया: {0}। पहले से बुक अपॉइंटमेंट बने रहेंगे।",
);
pub const SCHEDULE_USAGE: Text = Text::new(
    "Write {p}facility ID schedule (list), {p}facility ID schedule add SERVICE days=mon,tue HH:MM-HH:MM slot=MIN capacity=N price=P [currency=INR kind=vaccination|lab_test|consultation specialty=… tz=Asia/Kolkata], or {p}facility ID schedule remove SCHEDULE_ID.",
    "{p}facility ID schedule (सूची), {p}facility ID schedule add SERVICE days=mon,tue HH:MM-HH:MM slot=MIN capacity=N price=P [currency=INR kind=vaccination|lab_test|consultation specialty=… tz=Asia/Kolkata], या {p}facility ID schedule remove SCHEDULE_ID लिखें।",
);
pub const SCHEDULE_REMOVE_BUTTON: Text = Text::new("🗑 {0}", "🗑 {0}");
