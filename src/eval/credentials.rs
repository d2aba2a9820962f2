//! `certification …` and `license …`: a credential counts only where
//! `earned`/`issued` (when given) ≤ evaluation date ≤ `expires` (when given).
//! Issuers, names, states and licence types compare case-insensitively.

use super::{Evaluator, Gap, Lead, NO_STATE, Site, UnmetKind, Verdict, article, join_or, same};
use crate::date::Date;
use crate::ruleset::{CertificationRule, LicenseRule, LicenseState, RoleId};

/// Why a held credential does not count on the evaluation date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Standing {
    Valid,
    NotYet(Date),
    Expired(Date),
}

fn standing(from: Option<Date>, expires: Option<Date>, as_of: Date) -> Standing {
    match (from, expires) {
        (Some(from), _) if from > as_of => Standing::NotYet(from),
        (_, Some(expires)) if as_of > expires => Standing::Expired(expires),
        _ => Standing::Valid,
    }
}

impl Evaluator<'_, '_> {
    pub(super) fn certification(
        &self,
        rule: &CertificationRule,
        site: Site,
        gaps: &mut Vec<Gap>,
    ) -> Verdict {
        // Held certifications with the option they match, named as the rule does.
        let held = || {
            self.profile.certifications.iter().filter_map(|held| {
                let option = rule.options.iter().find(|option| {
                    same(&option.issuer, &held.issuer) && same(&option.name, &held.name)
                })?;
                Some((option, held))
            })
        };
        if held()
            .any(|(_, held)| standing(held.earned, held.expires, self.as_of) == Standing::Valid)
        {
            return Verdict::Eligible;
        }
        if self.explain {
            let details: Vec<String> = held()
                .map(|(option, held)| {
                    let name = format!("{} {}", option.issuer, option.name);
                    match standing(held.earned, held.expires, self.as_of) {
                        Standing::NotYet(date) => {
                            format!("your {name} was earned after the evaluation date (on {date})")
                        }
                        Standing::Expired(date) => format!("your {name} expired on {date}"),
                        Standing::Valid => String::new(),
                    }
                })
                .collect();
            let gap = Gap::new(
                UnmetKind::Certification,
                Lead::Needs(certification_need(rule)),
                site,
            )
            .details(&details)
            .detail(self.see(rule.see));
            gaps.push(gap);
        }
        Verdict::NotEligible
    }

    pub(super) fn license(&self, rule: &LicenseRule, site: Site, gaps: &mut Vec<Gap>) -> Verdict {
        let state = match &rule.state {
            LicenseState::Code(code) => code.as_str(),
            LicenseState::Candidate => match self.state {
                Some(state) => state,
                None if !self.holds_any_license(rule) => {
                    // Whatever the state, no licence of these types is held:
                    // the answer is no, not "it depends".
                    if self.explain {
                        let gap = Gap::new(
                            UnmetKind::License,
                            Lead::Needs(license_need(rule, None)),
                            site,
                        )
                        .detail("your profile lists no such licence from any state")
                        .detail(self.see(rule.see));
                        gaps.push(gap);
                    }
                    return Verdict::NotEligible;
                }
                None => {
                    if self.explain {
                        let gap = Gap::new(
                            UnmetKind::License,
                            Lead::Needs(license_need(rule, None)),
                            site,
                        )
                        .detail(NO_STATE)
                        .detail(self.see(rule.see));
                        gaps.push(gap);
                    }
                    return Verdict::Undetermined;
                }
            },
        };
        let accepts = |kind: &str| {
            rule.types
                .as_ref()
                .is_none_or(|types| types.iter().any(|accepted| same(accepted, kind)))
        };
        let from_state = || {
            self.profile
                .licenses
                .iter()
                .filter(|held| same(&held.state, state))
        };
        let valid = from_state().any(|held| {
            accepts(&held.kind)
                && standing(held.issued, held.expires, self.as_of) == Standing::Valid
        });
        if valid {
            return Verdict::Eligible;
        }
        if self.explain {
            let details: Vec<String> = from_state()
                .map(|held| {
                    let name = format!(
                        "{} {} licence",
                        held.state.trim().to_ascii_uppercase(),
                        held.kind.trim().to_ascii_uppercase()
                    );
                    if !accepts(&held.kind) {
                        return format!("your {name} is not of an accepted type");
                    }
                    match standing(held.issued, held.expires, self.as_of) {
                        Standing::NotYet(date) => {
                            format!("your {name} was issued after the evaluation date (on {date})")
                        }
                        Standing::Expired(date) => format!("your {name} expired on {date}"),
                        Standing::Valid => String::new(),
                    }
                })
                .collect();
            let gap = Gap::new(
                UnmetKind::License,
                Lead::Needs(license_need(rule, Some(state))),
                site,
            )
            .details(&details)
            .detail(self.see(rule.see));
            gaps.push(gap);
        }
        Verdict::NotEligible
    }

    /// Whether the profile holds a valid licence of an accepted type from any state.
    fn holds_any_license(&self, rule: &LicenseRule) -> bool {
        self.profile.licenses.iter().any(|held| {
            rule.types
                .as_ref()
                .is_none_or(|types| types.iter().any(|accepted| same(accepted, &held.kind)))
                && standing(held.issued, held.expires, self.as_of) == Standing::Valid
        })
    }

    /// "see `eligo explain ca-cls`", or nothing.
    fn see(&self, role: Option<RoleId>) -> String {
        role.and_then(|role| self.rules.roles.get(role))
            .map(|role| format!("see `eligo explain {}`", role.id))
            .unwrap_or_default()
    }
}

/// `ASCP MLT or AMT MT certification`.
pub(super) fn certification_need(rule: &CertificationRule) -> String {
    let options: Vec<String> = rule
        .options
        .iter()
        .map(|option| format!("{} {}", option.issuer, option.name))
        .collect();
    format!("{} certification", join_or(&options))
}

/// `a CA CLS or MLT licence`; without a known state, `a licence from the
/// state where you intend to work`.
pub(super) fn license_need(rule: &LicenseRule, state: Option<&str>) -> String {
    let types = rule.types.as_deref().map(join_or);
    match (
        state.or(match &rule.state {
            LicenseState::Code(code) => Some(code.as_str()),
            LicenseState::Candidate => None,
        }),
        types,
    ) {
        (Some(state), Some(types)) => format!("{} {state} {types} licence", article(state)),
        (Some(state), None) => format!("{} {state} licence", article(state)),
        (None, Some(types)) => format!("a {types} licence from the state where you intend to work"),
        (None, None) => "a licence from the state where you intend to work".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::eval::{UnmetKind, Verdict::*};
    use crate::ruleset::{CredentialName, RequirementKind};
    use serde_json::json;

    fn cert_rule() -> CertificationRule {
        CertificationRule {
            options: vec![CredentialName {
                issuer: "ASCP".into(),
                name: "MLT".into(),
            }],
            see: None,
        }
    }

    fn check_cert(certifications: serde_json::Value, as_of: &str) -> crate::eval::RoleOutcome {
        let rules = single_condition(node(RequirementKind::Certification(cert_rule())));
        evaluate(&rules, json!({ "certifications": certifications }), as_of)
    }

    #[test]
    fn certification_valid_between_earned_and_expires_inclusive() {
        let cert = json!([{ "issuer": "ascp", "name": "mlt", "earned": "2021-08-01", "expires": "2024-08-01" }]);
        assert_eq!(check_cert(cert.clone(), "2021-08-01").verdict, Eligible);
        assert_eq!(check_cert(cert.clone(), "2024-08-01").verdict, Eligible);
        let expired = check_cert(cert.clone(), "2024-08-02");
        assert_eq!(expired.verdict, NotEligible);
        assert_eq!(expired.unmet[0].kind, UnmetKind::Certification);
        assert_eq!(
            expired.unmet[0].message,
            "needs ASCP MLT certification; your ASCP MLT expired on 2024-08-01"
        );
        let early = check_cert(cert, "2021-07-31");
        assert_eq!(
            early.unmet[0].message,
            "needs ASCP MLT certification; your ASCP MLT was earned after the evaluation date (on 2021-08-01)"
        );
    }

    #[test]
    fn certification_without_dates_counts_and_absence_is_plain() {
        assert_eq!(
            check_cert(json!([{ "issuer": "ASCP", "name": "MLT" }]), "2026-01-01").verdict,
            Eligible
        );
        let none = check_cert(json!([{ "issuer": "AMT", "name": "MLT" }]), "2026-01-01");
        assert_eq!(none.unmet[0].message, "needs ASCP MLT certification");
    }

    fn license_rule(state: LicenseState, see: Option<RoleId>) -> LicenseRule {
        LicenseRule {
            state,
            types: Some(vec!["CLS".into()]),
            see,
        }
    }

    #[test]
    fn license_for_the_candidate_state() {
        let see_role = role("ca-cls", "California CLS", vec![]);
        let main = role(
            "r",
            "Role",
            vec![node(RequirementKind::License(license_rule(
                LicenseState::Candidate,
                Some(0),
            )))],
        );
        let rules = rule_set(vec![see_role, main]);
        let lic = json!([{ "state": "CA", "type": "cls", "issued": "2020-01-01", "expires": "2027-01-31" }]);
        let outcome = evaluate_id(
            &rules,
            "r",
            json!({ "state": "ca", "licenses": lic }),
            "2026-01-01",
            None,
        );
        assert_eq!(outcome.verdict, Eligible);

        let unknown = evaluate_id(&rules, "r", json!({ "licenses": lic }), "2026-01-01", None);
        assert_eq!(unknown.verdict, Undetermined);
        assert_eq!(unknown.unmet[0].kind, UnmetKind::License);
        assert_eq!(
            unknown.unmet[0].message,
            "needs a CLS licence from the state where you intend to work; your profile has no `state`; \
             add it or pass `--state`; see `eligo explain ca-cls`"
        );
        // --state overrides the profile.
        let elsewhere = evaluate_id(
            &rules,
            "r",
            json!({ "state": "CA", "licenses": lic }),
            "2026-01-01",
            Some("NV"),
        );
        assert_eq!(elsewhere.verdict, NotEligible);
        assert_eq!(
            elsewhere.unmet[0].message,
            "needs an NV CLS licence; see `eligo explain ca-cls`"
        );
        let expired = evaluate_id(
            &rules,
            "r",
            json!({ "state": "CA", "licenses": lic }),
            "2027-02-01",
            None,
        );
        assert_eq!(
            expired.unmet[0].message,
            "needs a CA CLS licence; your CA CLS licence expired on 2027-01-31; see `eligo explain ca-cls`"
        );
    }

    #[test]
    fn license_of_a_named_state_and_wrong_type() {
        let rules = single_condition(node(RequirementKind::License(license_rule(
            LicenseState::Code("CA".into()),
            None,
        ))));
        let lic = json!([{ "state": "CA", "type": "MLT" }]);
        let outcome = evaluate(&rules, json!({ "licenses": lic }), "2026-01-01");
        assert_eq!(
            outcome.verdict, NotEligible,
            "no state needed for a named state"
        );
        assert_eq!(
            outcome.unmet[0].message,
            "needs a CA CLS licence; your CA MLT licence is not of an accepted type"
        );
        let future = json!([{ "state": "CA", "type": "CLS", "issued": "2026-01-02" }]);
        let outcome = evaluate(&rules, json!({ "licenses": future }), "2026-01-01");
        assert!(
            outcome.unmet[0]
                .message
                .ends_with("was issued after the evaluation date (on 2026-01-02)")
        );
    }
}
