#include "harness/cli.h"

int main(int argc, char** argv) { return gelubench::cli_main(argc, argv); }
