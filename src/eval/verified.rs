//! `--require-verified`: evaluation as if the records without `verified`
//! were absent, with every record path still that of the profile's file.

use super::{Met, Record, RoleOutcome, Unmet};
use crate::profile::{Profile, Verification};

impl Record {
    /// How the record was checked, when the profile says so (`None` for a
    /// self-reported record, or a path the profile does not have).
    pub fn verification(self, profile: &Profile) -> Option<&Verification> {
        let index = self.index();
        match self {
            Record::Education(_) => profile.education.get(index)?.verified.as_ref(),
            Record::Coursework(_) => profile.coursework.get(index)?.verified.as_ref(),
            Record::Certification(_) => profile.certifications.get(index)?.verified.as_ref(),
            Record::License(_) => profile.licenses.get(index)?.verified.as_ref(),
            Record::Experience(_) => profile.experience.get(index)?.verified.as_ref(),
            Record::Training(_) => profile.training.get(index)?.verified.as_ref(),
            Record::ContinuingEducation(_) => {
                profile.continuing_education.get(index)?.verified.as_ref()
            }
        }
    }
}

/// A profile of only its verified records, and where each came from.
#[derive(Clone, Debug)]
pub struct VerifiedOnly {
    pub profile: Profile,
    /// Per list (in [`Record::list`] order), the original index of each
    /// record kept.
    kept: [Vec<usize>; 7],
}

/// `profile` without the records that have no `verified`.
pub fn verified_only(profile: &Profile) -> VerifiedOnly {
    fn keep<T: Clone>(
        records: &[T],
        verified: impl Fn(&T) -> bool,
        kept: &mut Vec<usize>,
    ) -> Vec<T> {
        records
            .iter()
            .enumerate()
            .filter(|(_, record)| verified(record))
            .map(|(index, record)| {
                kept.push(index);
                record.clone()
            })
            .collect()
    }
    let mut kept: [Vec<usize>; 7] = Default::default();
    let [
        education,
        coursework,
        certifications,
        licenses,
        experience,
        training,
        continuing,
    ] = &mut kept;
    let filtered = Profile {
        education: keep(&profile.education, |r| r.verified.is_some(), education),
        coursework: keep(&profile.coursework, |r| r.verified.is_some(), coursework),
        certifications: keep(
            &profile.certifications,
            |r| r.verified.is_some(),
            certifications,
        ),
        licenses: keep(&profile.licenses, |r| r.verified.is_some(), licenses),
        experience: keep(&profile.experience, |r| r.verified.is_some(), experience),
        training: keep(&profile.training, |r| r.verified.is_some(), training),
        continuing_education: keep(
            &profile.continuing_education,
            |r| r.verified.is_some(),
            continuing,
        ),
        ..profile.clone()
    };
    VerifiedOnly {
        profile: filtered,
        kept,
    }
}

impl VerifiedOnly {
    /// The record of the original profile that `record` (of the filtered
    /// one) is.
    pub fn original(&self, record: Record) -> Record {
        let list = match record {
            Record::Education(_) => 0,
            Record::Coursework(_) => 1,
            Record::Certification(_) => 2,
            Record::License(_) => 3,
            Record::Experience(_) => 4,
            Record::Training(_) => 5,
            Record::ContinuingEducation(_) => 6,
        };
        let index = self.kept[list]
            .get(record.index())
            .copied()
            .unwrap_or(record.index());
        match record {
            Record::Education(_) => Record::Education(index),
            Record::Coursework(_) => Record::Coursework(index),
            Record::Certification(_) => Record::Certification(index),
            Record::License(_) => Record::License(index),
            Record::Experience(_) => Record::Experience(index),
            Record::Training(_) => Record::Training(index),
            Record::ContinuingEducation(_) => Record::ContinuingEducation(index),
        }
    }

    /// Rewrites every record path in `outcome` (evaluated on the filtered
    /// profile) to the original profile's.
    pub fn restore_paths(&self, outcome: &mut RoleOutcome<'_>) {
        self.unmet(&mut outcome.unmet);
        self.met(&mut outcome.evidence);
        for route in &mut outcome.routes {
            self.unmet(&mut route.unmet);
            self.met(&mut route.evidence);
        }
        if let Some(projection) = outcome.projection.as_deref_mut() {
            match projection {
                super::Projection::MetFrom { outcome, .. }
                | super::Projection::LapsesOn { outcome, .. } => self.restore_paths(outcome),
                super::Projection::Unchanged { .. } | super::Projection::TooManyRecords => {}
            }
        }
    }

    fn unmet(&self, gaps: &mut [Unmet<'_>]) {
        for gap in gaps {
            for finding in &mut gap.findings {
                finding.record = self.original(finding.record);
            }
            self.unmet(&mut gap.alternatives);
            self.unmet(&mut gap.role_gaps);
        }
    }

    fn met(&self, evidence: &mut [Met<'_>]) {
        for met in evidence {
            for finding in &mut met.findings {
                finding.record = self.original(finding.record);
            }
            if let Some(via) = met.via.as_deref_mut() {
                self.met(&mut via.evidence);
            }
        }
    }
}
