//! Parsers for the list-valued CSV columns: specialties, priced services, blood stock.

use std::collections::BTreeMap;

use caremesh_federation::object::Service;

use crate::specialties::is_specialty;

/// Most services one row may list (the protocol's limit).
const MAX_SERVICES: usize = 256;
/// Most specialties one row may list (the protocol's limit).
const MAX_SPECIALTIES: usize = 64;
/// Blood groups accepted in `blood_stock`.
const BLOOD_GROUPS: [&str; 8] = ["O-", "O+", "A-", "A+", "B-", "B+", "AB-", "AB+"];

/// Slugs separated by `;` or `,`, optionally as a Postgres array literal `{a,b}`.
pub(crate) fn specialties(value: &str) -> Result<Vec<String>, String> {
    let inner = value
        .strip_prefix('{')
        .and_then(|v| v.strip_suffix('}'))
        .unwrap_or(value);
    let mut out: Vec<String> = Vec::new();
    for item in inner.split([';', ',']) {
        let slug = item.trim().trim_matches('"').trim().to_ascii_lowercase();
        if slug.is_empty() || out.contains(&slug) {
            continue;
        }
        if !is_specialty(&slug) {
            return Err(format!("`{slug}` is not in the specialty vocabulary"));
        }
        out.push(slug);
    }
    if out.len() > MAX_SPECIALTIES {
        return Err(format!("has more than {MAX_SPECIALTIES} entries"));
    }
    Ok(out)
}

/// `name:price:currency;…`; the name may itself contain `:`.
pub(crate) fn services(value: &str) -> Result<Vec<Service>, String> {
    let mut out = Vec::new();
    for item in value.split(';').map(str::trim).filter(|i| !i.is_empty()) {
        let mut parts = item.rsplitn(3, ':');
        let (Some(currency), Some(price), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!("`{item}` is not name:price:currency"));
        };
        let currency = currency.trim().to_ascii_uppercase();
        if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!("`{currency}` is not an ISO 4217 currency code"));
        }
        let price_minor = price_minor(price.trim())
            .ok_or_else(|| format!("price `{price}` is not a decimal with at most 2 decimals"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("`{item}` has an empty name"));
        }
        out.push(Service {
            name: name.to_owned(),
            price_minor,
            currency,
        });
    }
    if out.len() > MAX_SERVICES {
        return Err(format!("has more than {MAX_SERVICES} entries"));
    }
    Ok(out)
}

/// A non-negative decimal (`150`, `150.5`, `150.50`) in hundredths, without floats.
pub(crate) fn price_minor(value: &str) -> Option<i64> {
    let (whole, frac) = value.split_once('.').unwrap_or((value, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    whole.checked_mul(100)?.checked_add(frac)
}

/// `O-:12;A+:3`.
pub(crate) fn blood_stock(value: &str) -> Result<BTreeMap<String, u32>, String> {
    let mut out = BTreeMap::new();
    for item in value.split(';').map(str::trim).filter(|i| !i.is_empty()) {
        let Some((group, units)) = item.rsplit_once(':') else {
            return Err(format!("`{item}` is not group:units"));
        };
        let group = group.trim().to_ascii_uppercase();
        if !BLOOD_GROUPS.contains(&group.as_str()) {
            return Err(format!("`{group}` is not a blood group"));
        }
        let units = units
            .trim()
            .parse()
            .map_err(|_| format!("units `{units}` is not a count"))?;
        out.insert(group, units);
    }
    Ok(out)
}
