#include "model/command_line.h"

#include <charconv>

namespace viz {
namespace {

bool parseUnsigned(const std::string& text, std::uint64_t* value) {
  if (text.empty() || text[0] == '-' || text[0] == '+') return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parseSize(const std::string& text, CommandLine* out) {
  const auto x = text.find('x');
  std::uint64_t w = 0, h = 0;
  if (x == std::string::npos || !parseUnsigned(text.substr(0, x), &w) ||
      !parseUnsigned(text.substr(x + 1), &h))
    return false;
  if (w < 320 || h < 200 || w > kMaxWindowPx || h > kMaxWindowPx) return false;
  out->width_px = static_cast<int>(w);
  out->height_px = static_cast<int>(h);
  return true;
}

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string usageText() {
  return "usage: dtlsim-viz [TRACE]\n"
         "       dtlsim-viz SCENARIO.textproto [--seed N]\n"
         "       dtlsim-viz --screenshot FILE.png [--size WxH] (TRACE | SCENARIO [--seed N])\n"
         "       dtlsim-viz --compare A B [--seed N] [--seed-b M] [--screenshot FILE.png]\n"
         "Opens a dtlsim trace (dtlsim run --trace FILE), or runs a scenario with its seed (or N)\n"
         "and shows the handshake timeline. --screenshot renders the main window (default\n"
         "1280x800) to FILE.png and exits; it needs no display. --compare shows two runs (traces\n"
         "or scenarios; B's scenario with --seed-b, else --seed) side by side, marks where they\n"
         "part and prints the differences.\n";
}

bool parseCommandLine(const std::vector<std::string>& args, CommandLine* out, std::string* error) {
  *out = CommandLine{};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* v) {
      if (i + 1 >= args.size()) {
        *error = a + ": needs a value";
        return false;
      }
      *v = args[++i];
      return true;
    };
    std::string v;
    if (a == "-h" || a == "--help") {
      out->help = true;
    } else if (a == "--seed") {
      std::uint64_t seed = 0;
      if (!value(&v)) return false;
      if (!parseUnsigned(v, &seed)) {
        *error = "--seed: '" + v + "' is not an unsigned integer";
        return false;
      }
      out->seed = seed;
    } else if (a == "--seed-b") {
      std::uint64_t seed = 0;
      if (!value(&v)) return false;
      if (!parseUnsigned(v, &seed)) {
        *error = "--seed-b: '" + v + "' is not an unsigned integer";
        return false;
      }
      out->seed_b = seed;
    } else if (a == "--compare") {
      if (i + 2 >= args.size()) {
        *error = "--compare: needs two files (A B)";
        return false;
      }
      if (!out->compare_b.empty() || !out->input.empty()) {
        *error = "--compare takes the inputs: no other input";
        return false;
      }
      out->input = args[++i];
      out->compare_b = args[++i];
    } else if (a == "--screenshot") {
      if (!value(&out->screenshot)) return false;
      if (!endsWith(out->screenshot, ".png")) {
        *error = "--screenshot: '" + out->screenshot + "' does not end in .png";
        return false;
      }
    } else if (a == "--size") {
      if (!value(&v)) return false;
      if (!parseSize(v, out)) {
        *error = "--size: '" + v + "' is not WxH within 320x200..8192x8192";
        return false;
      }
    } else if (a.size() > 1 && a[0] == '-') {
      *error = "unknown option '" + a + "'";
      return false;
    } else if (!out->compare_b.empty()) {
      *error = "--compare takes the inputs: no other input ('" + a + "')";
      return false;
    } else if (!out->input.empty()) {
      *error = "one input only: got '" + out->input + "' and '" + a + "'";
      return false;
    } else {
      out->input = a;
    }
  }
  if (out->help) return true;
  if (out->seed_b && out->compare_b.empty()) {
    *error = "--seed-b needs --compare";
    return false;
  }
  if (out->seed && out->input.empty()) {
    *error = "--seed needs a scenario file";
    return false;
  }
  if (!out->screenshot.empty() && out->input.empty()) {
    *error = "--screenshot needs a trace or scenario file";
    return false;
  }
  return true;
}

}  // namespace viz
