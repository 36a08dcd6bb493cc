//! `/facility`: staff keep their node's listings.

use super::{Help, Text};

pub const FACILITY_USAGE: Text = Text::new(
    "{p}facility new – list a facility (guided)\n{p}facility ID phone|hours|name TEXT – change it\n{p}facility ID blood O- 12 – units in stock\n{p}facility ID retract – withdraw it",
    "{p}facility new – नई सुविधा जोड़ें (चरणबद्ध)\n{p}facility ID phone|hours|name TEXT – बदलें\n{p}facility ID blood O- 12 – स्टॉक की यूनिट\n{p}facility ID retract – हटाएँ",
);
pub const FACILITY_LIST: Text = Text::new("This node's facility listings:", "इस नोड की सुविधाएँ:");
pub const FACILITY_NEW_BUTTON: Text = Text::new("➕ New listing", "➕ नई सुविधा");
pub const FACILITY_CHANGED: Text = Text::new(
    "{0}: {1} changed. Peers get the new version.",
    "{0}: {1} बदला गया। साथी नोडों को नया संस्करण मिलेगा।",
);
pub const FACILITY_CREATED: Text = Text::new(
    "{0} is listed (id {1}) and goes out to the peers.",
    "{0} सूची में जुड़ गई (id {1}) और साथी नोडों को भेजी जा रही है।",
);
pub const BLOOD_STOCK_USAGE: Text = Text::new(
    "Send {p}facility ID blood GROUP UNITS, e.g. {p}facility 01J… blood O- 12.",
    "{p}facility ID blood ग्रुप यूनिट भेजें, जैसे {p}facility 01J… blood O- 12।",
);
pub const ASK_LISTING_KIND: Text = Text::new("What kind of facility?", "किस तरह की सुविधा?");
pub const ASK_LISTING_NAME: Text = Text::new("Its name?", "उसका नाम?");
pub const ASK_LISTING_PLACE: Text = Text::new(
    "Where is it? Share its location, or type a place or lat,lon.",
    "वह कहाँ है? स्थान साझा करें, या जगह का नाम या lat,lon लिखें।",
);
pub const ASK_LISTING_PHONE: Text = Text::new(
    "A phone number people can call? (or Skip)",
    "लोग किस फ़ोन नंबर पर कॉल करें? (या छोड़ें)",
);

pub const HELP_FACILITY: Help = Help {
    args: Text::new("", ""),
    about: Text::new("your node's listings (staff)", "आपके नोड की सुविधाएँ (स्टाफ़)"),
};
