#include "entropy/code_coder.h"
#include "entropy/code_model.h"
#include "entropy/enc_range_coder.h"
#include "entropy/logistic.h"

namespace qc {

namespace {

// A range encoder that ends its stream and starts a new one at every
// iteration, recording each stream's length.
class IterationStreams {
 public:
  void begin_iteration(int) {
    if (open_) end_stream();
    open_ = true;
  }
  void encode(int bit, uint32_t p1) { coder_.encode(bit, p1); }
  CodedCodes finish() {
    if (open_) end_stream();
    open_ = false;
    return std::move(out_);
  }

 private:
  void end_stream() {
    const std::vector<uint8_t> stream = coder_.finish();
    out_.bytes.insert(out_.bytes.end(), stream.begin(), stream.end());
    out_.iteration_bytes.push_back(stream.size());
    coder_ = entropy::RangeEncoder();
  }

  entropy::RangeEncoder coder_;
  CodedCodes out_;
  bool open_ = false;
};

struct EncodeIO {
  IterationStreams streams;
  void begin_iteration(int t) { streams.begin_iteration(t); }
  void at(int, int) {}
  int code(uint8_t& bit, uint32_t p1) {
    streams.encode(bit, p1);
    return bit;
  }
};

struct MeasureIO {
  IterationStreams streams;
  CodeCost* cost;
  uint32_t* tile_slot = nullptr;
  uint64_t* iteration_slot = nullptr;
  void begin_iteration(int t) { streams.begin_iteration(t); }
  void at(int iteration, int tile) {
    iteration_slot = &cost->iteration_cost[iteration];
    tile_slot = &cost->tile_cost[static_cast<size_t>(iteration) * cost->tiles + tile];
  }
  int code(uint8_t& bit, uint32_t p1) {
    streams.encode(bit, p1);
    const uint32_t c = entropy::bit_cost(bit, p1);
    *tile_slot += (c + 128) >> 8;  // 1/65536 -> 1/256 bit
    *iteration_slot += c;
    return bit;
  }
};

// Costs only the last iteration; earlier ones just train the model.
struct LastIterationIO {
  const uint8_t* first_bit;  // of the traversed stack's last iteration
  int last;
  LastIterationCost* cost;
  bool costing = false;
  void begin_iteration(int t) { costing = t == last; }
  void at(int, int) {}
  int code(uint8_t& bit, uint32_t p1) {
    if (costing) {
      const double own = entropy::bit_cost(bit, p1), flipped = entropy::bit_cost(!bit, p1);
      cost->bits += own / 65536.0;
      cost->flip_delta[&bit - first_bit] = static_cast<float>((flipped - own) / 65536.0);
    }
    return bit;
  }
};

}  // namespace

CodedCodes encode_codes(const CodeStack& stack, const TileMap& map) {
  check_code_stack(stack, map, "encode_codes");
  CodeStack work = stack;  // the traversal's interface is read/write
  EncodeIO io;
  entropy::traverse_codes(work, map, io);
  return io.streams.finish();
}

CodeCost measure_codes(const CodeStack& stack, const TileMap& map) {
  check_code_stack(stack, map, "measure_codes");
  CodeCost cost;
  cost.tiles = map.tiles_x * map.tiles_y;
  cost.iteration_cost.assign(stack.iterations, 0);
  cost.tile_cost.assign(static_cast<size_t>(stack.iterations) * cost.tiles, 0);
  CodeStack work = stack;
  MeasureIO io{IterationStreams(), &cost};
  entropy::traverse_codes(work, map, io);
  cost.bytes = io.streams.finish().bytes.size();
  return cost;
}

LastIterationCost measure_last_iteration(const CodeStack& stack, const TileMap& map) {
  check_code_stack(stack, map, "measure_last_iteration");
  LastIterationCost cost;
  if (stack.iterations == 0) return cost;
  const size_t per_iteration = static_cast<size_t>(stack.channels) * stack.rows * stack.cols;
  cost.flip_delta.assign(per_iteration, 0.0f);
  CodeStack work = stack;
  LastIterationIO io{work.bits.data() + (stack.iterations - 1) * per_iteration, stack.iterations - 1, &cost};
  entropy::traverse_codes(work, map, io);
  return cost;
}

}  // namespace qc
