// The migrations are embedded in the crate (`embed_migrations!`): a new migration directory
// must rebuild it, not only a changed file.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
