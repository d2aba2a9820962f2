fn main() -> std::process::ExitCode {
    eligo::cli::run(std::env::args_os())
}
