// Plugins: a user's own kernels in a shared object (kernels/plugin.h),
// added to the registry at run time so every command treats them like
// registry kernels.
#pragma once

#include <string>

namespace gelubench {

// Loads the plugin at `path` and adds its kernels to the registry. Returns
// "" on success, else one line saying what is wrong (the CLI exits 2): no
// such file, not loadable, no gelubench_plugin_v1, an ABI version other than
// GELUBENCH_PLUGIN_ABI_VERSION, a malformed entry, a name already taken, or
// a kernel needing a CPU feature this machine lacks. Nothing is added unless
// every entry is sound.
std::string load_plugin(const std::string& path);

}  // namespace gelubench
