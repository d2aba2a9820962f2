// mimalloc: evaluation and reports allocate many small strings; it cuts the
// CPU time of `eligo screen` by about a third against glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    eligo::cli::run(std::env::args_os())
}
