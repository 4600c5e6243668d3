/* main.c: viva's entry point; everything else lives in the viva_app library. */
#include "cli.h"

int main(int argc, char **argv)
{
    return app_main(argc, argv);
}
