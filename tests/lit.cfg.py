# lit configuration of the Anima test suite (check-anima).
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "Anima"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.anima_obj_root, "tests")
# GoogleTest suites (their .mlir models are built by CMake) and lit inputs
# are not lit tests.
config.excludes = ["unit", "kernels", "runtime", "e2e", "fuzz", "hardening", "Inputs",
                   "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py"]

llvm_config.use_default_substitutions()
config.substitutions.append(("%anima_src_root", config.anima_src_root))
config.substitutions.append(("%generated_dialect_doc",
                             config.anima_generated_dialect_doc))

# Tools come from the build first, then from LLVM 22 (FileCheck, not).
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.anima_tools_dir, append_path=True)
tool_dirs = [config.anima_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(["anima-opt", "animac", "anima-run"], tool_dirs)
