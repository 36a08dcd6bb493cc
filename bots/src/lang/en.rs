//! English.

use super::Key;

/// The English template for `key`.
pub fn text(key: Key) -> &'static str {
    use Key::*;
    match key {
        LanguageName => "English",
        Welcome => {
            "Welcome to {0}, a caremesh node for health-care supplies.\nNew here? Send {p}register. Send {p}help for everything I can do."
        }
        WelcomeBack => "Welcome back, {0} ({1}). Send {p}help for the commands.",
        Help => {
            "Commands:\n{p}register – join as a requester (health worker) or maker\n{p}need – post a need (guided)\n{p}needs – open needs near you, with an Offer button\n{p}offer ID – offer goods for a need\n{p}proposals – offers on your needs, or your own offers\n{p}accept ID, {p}defer ID, {p}decline ID – decide on an offer\n{p}shipped ID – you shipped an accepted offer\n{p}received ID – the goods arrived\n{p}subscribe [km] [products] – alerts for new needs near you\n{p}mute – pause alerts ({p}subscribe resumes)\n{p}nearby [kind] [place] – facilities near a location or place\n{p}blood GROUP [place] – blood banks with that group in stock\n{p}map ID – a facility on the map\n{p}facility – your node's listings (staff)\n{p}services NAME – a facility's services and prices\n{p}symptoms – which specialty to look for\n{p}stats – needed vs accepted vs received\n{p}link [CODE] – use the same account on another chat\n{p}lang – English / हिन्दी\n{p}cancel – stop the current question"
        }
        UnknownCommand => "I don't know {p}{0}. Send {p}help for the commands.",
        NotACommand => "I answer commands. Send {p}help to see them.",
        NotRegistered => "You are not registered on this node yet. Send {p}register first.",
        PendingApproval => {
            "Your registration as {0} waits for an admin's approval. I will tell you when it is approved."
        }
        NotRequester => "Only approved requesters can do that. Makers use {p}needs and {p}offer.",
        NotMaker => "Only makers can offer goods. Requesters use {p}need and {p}proposals.",
        NotAdmin => "Only a node admin can do that.",
        TooLong => "That message is too long ({0} characters). Please keep it under {1}.",
        FileNotSupported => "I can't use files yet ({0}). Please type your answer.",
        StaleButton => {
            "That button belongs to an older question. Send the command again to start over."
        }
        UnknownButton => "I don't recognise that button. Send {p}help for the commands.",
        Cancelled => "Stopped. Nothing was saved.",
        NothingToCancel => "Nothing to cancel.",
        InternalError => "Something went wrong on the node. Please try again in a moment.",
        LangChoose => "Choose a language:",
        LangSet => "Language set to English.",
        AlreadyRegistered => "You are already registered as {0} ({1}).",
        AskRole => "Who are you? Choose one:",
        RoleRequester => "Health worker (requester)",
        RoleMaker => "Maker",
        AskLocation => {
            "Where are you? Share your location, or type it as lat,lon (e.g. 18.52,73.85). Send {p}skip to leave it out."
        }
        ShareLocation => "Share location",
        Skip => "Skip",
        BadLocation => {
            "I need a location as lat,lon with latitude -90..90 and longitude -180..180, e.g. 18.52,73.85."
        }
        Registered => "Done: you are {0}. Send {p}help to see what you can do.",
        RegisteredPending => {
            "Thanks, {0}. An admin must approve requesters; I will tell you when that happens."
        }
        LocationSaved => "Location saved.",
        NoticePending => "{0} registered as a requester and waits for approval.",
        ApproveButton => "Approve {0}",
        NoticeApproved => "Your registration was approved. You can now post needs with {p}need.",
        ApprovedDone => "{0} is approved.",
        ApproveUsage => "Write {p}approve HANDLE.",
        PendingList => "Waiting for approval: {0}",
        NothingPending => "Nobody waits for approval.",
        LinkCode => {
            "Your one-time code: {0}\nSend {p}link {0} from your other chat account within 10 minutes."
        }
        Linked => "Linked: this chat is now {0}.",
        AskProduct => "What do you need? Choose a product or type its name:",
        BadProduct => "`{0}` is not in the catalog. Choose one of the buttons.",
        AskQuantity => "How many? Type a number.",
        BadNumber => "Please type a whole number from {0} to {1}.",
        AskNeededBy => "Needed within how many days? Type a number, or {p}skip.",
        AskFacility => "For which facility?",
        NoFacility => "This node has no facility listed yet; ask the admin to add yours.",
        BadChoice => "Please choose one of the buttons.",
        NeedPosted => "Posted: {1} × {0} for {2}. Makers nearby are being told. Id: {3}",
        NoNeeds => "No open needs right now.",
        NeedsHeader => "Open needs, nearest first:",
        NeedLine => "• {0}: {1} of {2} still needed – {3}, {4} km. Id: {5}",
        OfferButton => "Offer {0}",
        IdUsage => "Write {p}{0} ID (the id is shown in the list; the buttons fill it in).",
        AskOfferQuantity => "{0}: {1} still needed. How many can you make?",
        AskMaterial => "Which material?",
        BadMaterial => "Choose a material: PLA, PETG, ABS, ASA, TPU or nylon.",
        AskEta => "In how many days can you deliver? Type a number (1 to 365).",
        OfferSent => "Offer sent: {0} × {1}. The requester decides; I will tell you.",
        NoProposals => "No offers yet.",
        ProposalLine => "• {0} offers {1} × {3} in {2}, {4} km away, {6} – {5}. Id: {7}",
        ContactLine => "  Contact: {0}",
        AcceptButton => "Accept",
        DeferButton => "Defer",
        DeclineButton => "Decline",
        ShippedButton => "Shipped",
        ReceivedButton => "Received",
        DecidedAccept => "Accepted {0} of {1}. The maker is told.",
        DecidedDefer => "Deferred. You can accept it later.",
        DecidedDecline => "Declined. The maker is told.",
        ShippedDone => "Marked shipped. The requester will confirm receipt.",
        ReceivedDone => "Receipt of {0} × {1} confirmed. Thank you!",
        NoticeNewRequest => "New need near you: {1} × {0} at {2} ({3} km).",
        NoticeNewProposal => "New offer on your need for {0}: {1} × {2} from {3} ({4} km).",
        NoticeAccepted => {
            "Your offer of {1} × {0} was accepted. Send {p}shipped {2} when it leaves."
        }
        NoticeDeferred => "Your offer for {0} was deferred for now.",
        NoticeDeclined => "Your offer for {0} was declined.",
        NoticeShipped => "{1} × {0} were shipped by {2}. Send {p}received {3} when they arrive.",
        NoticeReceived => "Your {1} × {0} arrived. Thank you!",
        AskRadius => "Alert me about needs within how many km?",
        BadRadius => "Please type a distance from 1 to 20000 km.",
        AskProducts => "Which products? Type slugs separated by commas, or choose All.",
        AllProducts => "All products",
        Subscribed => "Subscribed: needs within {0} km for {1}. Send {p}mute to pause.",
        Muted => "Alerts paused. Send {p}subscribe to resume.",
        Unmuted => "Alerts resumed.",
        NoSubscription => "You have no alerts set. Send {p}subscribe.",
        AskNearby => {
            "Share a location, or type a place (e.g. Pune) or lat,lon, to see facilities near it."
        }
        NoNearby => "No facilities known near there.",
        NearbyCard => "{0}. {1} ({2})\n    {3} km · ☎ {4}",
        NearPlace => "Near {0}:",
        NotStaff => "Only this node's staff and admins can change facility listings.",
        FacilityUsage => {
            "{p}facility new – list a facility (guided)\n{p}facility ID phone|hours|name TEXT – change it\n{p}facility ID blood O- 12 – units in stock\n{p}facility ID retract – withdraw it"
        }
        FacilityList => "This node's facility listings:",
        FacilityNewButton => "➕ New listing",
        FacilityChanged => "{0}: {1} changed. Peers get the new version.",
        FacilityCreated => "{0} is listed (id {1}) and goes out to the peers.",
        BloodStockUsage => {
            "Send {p}facility ID blood GROUP UNITS, e.g. {p}facility 01J… blood O- 12."
        }
        AskListingKind => "What kind of facility?",
        AskListingName => "Its name?",
        AskListingPlace => "Where is it? Share its location, or type a place or lat,lon.",
        AskListingPhone => "A phone number people can call? (or Skip)",
        UnknownPlace => "I don't know a place called \"{0}\".",
        MapUsage => "Send {p}map and a facility id, or press 📍 under a {p}nearby answer.",
        NoSuchFacility => "No facility `{0}` is known here.",
        BloodUsage => {
            "Send {p}blood and a group, e.g. {p}blood O-. Groups: O-, O+, A-, A+, B-, B+, AB-, AB+."
        }
        ServicesUsage => "Send {p}services and a facility name, e.g. {p}services Sassoon.",
        NoServices => "I know no facility called {0}, or it lists no services.",
        ServicesHeader => "{0} – services and prices:",
        ServiceLine => "• {0}: {1} {2}",
        StatsChart => "Needed, accepted and received per product.",
        StatsHeader => "Needed / accepted / received per product:",
        StatsLine => "{0}: {1} / {2} / {3} {4}",
        NoStats => "No needs posted yet.",
        AskSymptoms => "Describe the symptoms in a sentence.",
        SymptomsAnswer => {
            "Urgency: {0}. Look for: {1}.\n{2}\nThis is signposting, not a diagnosis."
        }
        NoTriage => "Symptom triage is not available on this node.",
        ErrInvalid => "That did not work: {0}.",
        ErrForbidden => "Not allowed: {0}.",
        ErrNotFound => "I can't find that: {0}.",
        ErrConflict => "Not possible now: {0}.",
        ErrUnavailable => "The node could not do that right now. Please try again.",
        Unknown => "unknown",
    }
}
