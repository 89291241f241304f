#include <libetpan/libetpan.h>
