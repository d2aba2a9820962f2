//! The employer's verb: `screen` (being built; see issue 5).

use super::{Outcome, Ui};

#[derive(clap::Args, Debug)]
pub struct ScreenArgs {
    /// JSON Lines files, JSON files, folders of them, or `-` for standard input.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<std::path::PathBuf>,
}

pub fn screen(ui: &mut Ui, _args: ScreenArgs) -> Outcome {
    ui.error(crate::diagnostic::Diagnostic::error(
        "unsupported",
        "`eligo screen` is not available yet",
    ));
    Outcome::Failed
}
