//! The JSON Schema of the profile format (`eligo schema`), generated from the
//! Rust types so that it cannot drift from what `load` accepts.

use super::Profile;
use serde_json::Value;

/// The JSON Schema (draft 2020-12) of a profile file.
pub fn profile_schema() -> Value {
    let mut schema = schemars::schema_for!(Profile);
    schema.insert("title".into(), "eligo profile".into());
    schema.insert(
        "description".into(),
        "One candidate for `eligo check` and `eligo screen`: education, coursework, \
         certifications, licences, experience, training and continuing education. \
         JSON, or TOML with the same structure. Dates are YYYY-MM-DD; every list may be \
         empty or absent; unknown fields are an error."
            .into(),
    );
    let mut value = schema.to_value();
    // A course gives its credit in exactly one unit: say so, as the loader does.
    if let Some(coursework) = value
        .pointer_mut("/$defs/Coursework")
        .and_then(Value::as_object_mut)
    {
        coursework.insert(
            "oneOf".into(),
            serde_json::json!([
                { "required": ["semester_hours"], "not": { "required": ["quarter_hours"] } },
                { "required": ["quarter_hours"], "not": { "required": ["semester_hours"] } }
            ]),
        );
    }
    value
}
