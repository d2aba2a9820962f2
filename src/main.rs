// The system allocator: mimalloc was 7-10 % faster on `eligo screen` but its
// memory grew with the number of profiles when two threads exchange batches
// (94-108 MB for 400,000 profiles, against 26 MB flat with glibc's malloc);
// see docs/performance.md.

fn main() -> std::process::ExitCode {
    eligo::cli::run(std::env::args_os())
}
