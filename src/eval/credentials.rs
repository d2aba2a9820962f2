//! `certification …` and `license …`: a credential counts only where
//! `earned`/`issued` (when given) ≤ evaluation date ≤ `expires` (when given).
//! Issuers, names, states and licence types compare case-insensitively.

use super::{Collected, Evaluator, Fact, Finding, Reason, Record, UnmetKind, Verdict, same};
use crate::date::Date;
use crate::ruleset::{CertificationRule, FileId, LicenseRule, LicenseState, Requirement};

/// Why a held credential does not count on the evaluation date.
fn standing(from: Option<Date>, expires: Option<Date>, as_of: Date) -> Option<Reason> {
    match (from, expires) {
        (Some(from), _) if from > as_of => Some(Reason::NotYetValid { on: from }),
        (_, Some(expires)) if as_of > expires => Some(Reason::Expired { on: expires }),
        _ => None,
    }
}

impl<'r> Evaluator<'r, '_, '_> {
    pub(super) fn certification(
        &self,
        requirement: &'r Requirement,
        rule: &CertificationRule,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        // Held certifications that match one of the options.
        let held = || {
            self.profile
                .certifications
                .iter()
                .enumerate()
                .filter(|(_, held)| {
                    rule.options.iter().any(|option| {
                        same(&option.issuer, &held.issuer) && same(&option.name, &held.name)
                    })
                })
        };
        // `earned >= D`: the date the credential was earned, when the rule
        // asks; without one the answer depends on a fact the profile lacks.
        let earned_miss = |held: &crate::profile::Certification| match (rule.earned, held.earned) {
            (None, _) => None,
            (Some(bound), Some(on)) if bound.admits(on) => None,
            (Some(bound), Some(on)) => Some(Reason::EarnedOutside { on, bound }),
            (Some(_), None) => Some(Reason::NoEarnedDate),
        };
        let valid = held()
            .find(|(_, held)| {
                standing(held.earned, held.expires, self.as_of).is_none()
                    && earned_miss(held).is_none()
            })
            .map(|(index, _)| index);
        if let Some(index) = valid {
            self.met(found, requirement, file, |mut met| {
                met.findings
                    .push(Finding::counted(Record::Certification(index)));
                met
            });
            return Verdict::Eligible;
        }
        let undated = held().any(|(_, held)| {
            standing(held.earned, held.expires, self.as_of).is_none()
                && earned_miss(held) == Some(Reason::NoEarnedDate)
        });
        let verdict = if undated {
            Verdict::Undetermined
        } else {
            Verdict::NotEligible
        };
        if self.explain {
            let findings: Vec<Finding> = held()
                .filter_map(|(index, held)| {
                    let reasons: Vec<Reason> = standing(held.earned, held.expires, self.as_of)
                        .into_iter()
                        .chain(earned_miss(held))
                        .collect();
                    (!reasons.is_empty())
                        .then(|| Finding::not_counted(Record::Certification(index), reasons))
                })
                .collect();
            let mut gap = self.unmet(UnmetKind::Certification, verdict, requirement, file);
            if findings.is_empty() {
                gap = gap.fact(Fact::NoneListed);
            }
            found.gaps.push(gap.findings(findings));
        }
        verdict
    }

    pub(super) fn license(
        &self,
        requirement: &'r Requirement,
        rule: &LicenseRule,
        file: FileId,
        found: &mut Collected<'r>,
    ) -> Verdict {
        let gap = |verdict| self.unmet(UnmetKind::License, verdict, requirement, file);
        let state = match &rule.state {
            LicenseState::Code(code) => code.as_str(),
            LicenseState::Candidate => match self.state {
                Some(state) => state,
                None if !self.holds_any_license(rule) => {
                    // Whatever the state, no licence of these types is held:
                    // the answer is no, not "it depends".
                    if self.explain {
                        found
                            .gaps
                            .push(gap(Verdict::NotEligible).fact(Fact::NoLicenseAnywhere));
                    }
                    return Verdict::NotEligible;
                }
                None => {
                    if self.explain {
                        found
                            .gaps
                            .push(gap(Verdict::Undetermined).fact(Fact::NoState));
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
                .enumerate()
                .filter(|(_, held)| same(&held.state, state))
        };
        let valid = from_state()
            .find(|(_, held)| {
                accepts(&held.kind) && standing(held.issued, held.expires, self.as_of).is_none()
            })
            .map(|(index, _)| index);
        if let Some(index) = valid {
            self.met(found, requirement, file, |mut met| {
                met.findings.push(Finding::counted(Record::License(index)));
                met
            });
            return Verdict::Eligible;
        }
        if self.explain {
            let findings: Vec<Finding> = from_state()
                .map(|(index, held)| {
                    let mut reasons = Vec::new();
                    if !accepts(&held.kind) {
                        reasons.push(Reason::LicenseType);
                    }
                    reasons.extend(standing(held.issued, held.expires, self.as_of));
                    Finding::not_counted(Record::License(index), reasons)
                })
                .collect();
            let mut gap = gap(Verdict::NotEligible).fact(Fact::State(state.to_string()));
            if findings.is_empty() {
                gap = gap.fact(Fact::NoneListed);
            }
            found.gaps.push(gap.findings(findings));
        }
        Verdict::NotEligible
    }

    /// Whether the profile holds a valid licence of an accepted type from any state.
    fn holds_any_license(&self, rule: &LicenseRule) -> bool {
        self.profile.licenses.iter().any(|held| {
            rule.types
                .as_ref()
                .is_none_or(|types| types.iter().any(|accepted| same(accepted, &held.kind)))
                && standing(held.issued, held.expires, self.as_of).is_none()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::*;
    use crate::eval::{UnmetKind, Verdict::*};
    use crate::ruleset::RoleId;
    use crate::ruleset::{CredentialName, RequirementKind};
    use serde_json::json;

    fn cert_rule() -> CertificationRule {
        CertificationRule {
            options: vec![CredentialName {
                issuer: "ASCP".into(),
                name: "MLT".into(),
            }],
            earned: None,
            see: None,
        }
    }

    fn check_cert(
        certifications: serde_json::Value,
        as_of: &str,
    ) -> super::super::test_support::Shown {
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
                Some(crate::ruleset::RoleId::from_index(0)),
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
