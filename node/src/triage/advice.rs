//! Advice text for an assessment, in English or Hindi.

use super::{Lang, Rule, Urgency};

const DISCLAIMER_EN: &str = "This is not a diagnosis. It is an automated suggestion of which \
    kind of care to look for, based on the words you typed. Always follow the advice of a \
    doctor or health worker, and if you are worried, seek care at once.";

const DISCLAIMER_HI: &str = "यह निदान नहीं है। यह आपके लिखे शब्दों के आधार पर एक स्वचालित \
    सुझाव है कि किस तरह की चिकित्सा देखभाल लें। हमेशा डॉक्टर या स्वास्थ्य कार्यकर्ता की सलाह \
    मानें, और चिंता हो तो तुरंत इलाज लें। (This is not a diagnosis.)";

/// The disclaimer in `language`.
pub(crate) fn disclaimer(language: Lang) -> &'static str {
    match language {
        Lang::En => DISCLAIMER_EN,
        Lang::Hi => DISCLAIMER_HI,
    }
}

/// What the advice is built from.
pub(crate) struct Context<'a> {
    pub language: Lang,
    pub urgency: Urgency,
    pub specialties: &'a [String],
    pub matched: &'a [&'a Rule],
    pub emergency_number: &'a str,
}

/// The advice: a sentence for the urgency, then any rule-specific advice.
pub(crate) fn compose(ctx: &Context<'_>) -> String {
    let mut text = match ctx.language {
        Lang::En => english(ctx),
        Lang::Hi => hindi(ctx),
    };
    let flags: Vec<&str> = ctx
        .matched
        .iter()
        .filter(|r| r.red_flag)
        .filter_map(|r| r.name.as_ref())
        .map(|(en, hi)| {
            if ctx.language == Lang::En {
                en.as_str()
            } else {
                hi.as_str()
            }
        })
        .collect();
    if !flags.is_empty() {
        text.push_str(match ctx.language {
            Lang::En => " Danger signs: ",
            Lang::Hi => " खतरे के लक्षण: ",
        });
        text.push_str(&flags.join("; "));
        text.push(if ctx.language == Lang::En { '.' } else { '।' });
    }
    for rule in ctx.matched {
        if let Some((en, hi)) = &rule.advice {
            text.push(' ');
            text.push_str(match ctx.language {
                Lang::En => en,
                Lang::Hi => hi,
            });
        }
    }
    text
}

fn labels(ctx: &Context<'_>) -> String {
    let names: Vec<&str> = ctx
        .specialties
        .iter()
        .take(3)
        .map(|slug| {
            let (en, hi) = crate::specialties::labels(slug);
            if ctx.language == Lang::En { en } else { hi }
        })
        .collect();
    names.join(", ")
}

fn english(ctx: &Context<'_>) -> String {
    let number = ctx.emergency_number;
    let care = labels(ctx);
    if ctx.matched.is_empty() {
        return format!(
            "We could not match these symptoms to a specialty. Please see a general physician \
             (general medicine). If the person becomes very unwell, call {number}."
        );
    }
    match ctx.urgency {
        Urgency::Emergency => format!(
            "This may be an emergency. Call the emergency number {number} now, or go to the \
             nearest hospital with an emergency department. Do not wait and do not drive \
             yourself. Care needed: {care}."
        ),
        Urgency::Urgent => format!(
            "See a doctor today ({care}). If it gets worse, or new danger signs appear, call \
             {number}."
        ),
        Urgency::SelfCare => format!(
            "This can usually be looked after at home, or with advice from a pharmacist. See a \
             doctor ({care}) if it lasts more than a few days or gets worse; in an emergency \
             call {number}."
        ),
        Urgency::Routine => format!(
            "Book a visit with a doctor for {care}. If it gets worse or does not improve, see a \
             doctor sooner; in an emergency call {number}."
        ),
    }
}

fn hindi(ctx: &Context<'_>) -> String {
    let number = ctx.emergency_number;
    let care = labels(ctx);
    if ctx.matched.is_empty() {
        return format!(
            "इन लक्षणों से कोई विशेषज्ञता तय नहीं हो सकी। कृपया किसी सामान्य चिकित्सक (जनरल \
             फिजिशियन) को दिखाएं। हालत बहुत खराब हो तो {number} पर कॉल करें।"
        );
    }
    match ctx.urgency {
        Urgency::Emergency => format!(
            "यह आपातकाल हो सकता है। अभी आपातकालीन नंबर {number} पर कॉल करें, या सबसे नज़दीकी \
             आपातकालीन विभाग वाले अस्पताल जाएं। इंतज़ार न करें और खुद गाड़ी न चलाएं। ज़रूरी \
             इलाज: {care}।"
        ),
        Urgency::Urgent => format!(
            "आज ही डॉक्टर को दिखाएं ({care})। हालत बिगड़े या खतरे के नए लक्षण दिखें तो {number} \
             पर कॉल करें।"
        ),
        Urgency::SelfCare => format!(
            "आम तौर पर इसकी देखभाल घर पर, या दवा विक्रेता (फार्मासिस्ट) की सलाह से हो सकती है। कुछ \
             दिनों में ठीक न हो या बिगड़े तो डॉक्टर ({care}) को दिखाएं; आपातकाल में {number} पर \
             कॉल करें।"
        ),
        Urgency::Routine => format!(
            "{care} के डॉक्टर से मिलने का समय लें। हालत बिगड़े या सुधार न हो तो जल्दी दिखाएं; \
             आपातकाल में {number} पर कॉल करें।"
        ),
    }
}
