// qcodec-train: train the codec network and export it as a .qcm model.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "base/error.h"
#include "train/precision_report.h"
#include "train/trainer.h"

int main(int argc, char** argv) {
  CLI::App app{
      "Train the qcodec network (LibTorch) and export it for the qcodec runtime.\n\n"
      "Examples (TRAIN: the training images, KODAK: an evaluation set):\n"
      "  qcodec-train train --data $TRAIN --run runs/main --max-minutes 120\n"
      "  qcodec-train train --run runs/main --resume\n"
      "  qcodec-train export --checkpoint runs/main/checkpoint.pt --calibration "
      "$TRAIN -o model.qcm\n"
      "  qcodec-train report --checkpoint runs/main/checkpoint.pt --model model.qcm "
      "--images $KODAK"};
  app.require_subcommand(1);

  qc::TrainOptions t;
  std::string cell = "gru";
  std::vector<int> enc_cells(std::begin(t.arch.enc_cells), std::end(t.arch.enc_cells));
  std::vector<int> dec_cells(std::begin(t.arch.dec_cells), std::end(t.arch.dec_cells));
  CLI::App* train = app.add_subcommand("train", "Train (or --resume) a run");
  train->add_option("--data", t.data_dir, "Training images (PNG/JPEG, recursive)")->required();
  train->add_option("--run", t.run_dir, "Run folder: checkpoint.pt and log.csv")->required();
  train->add_flag("--resume", t.resume, "Continue from the run's checkpoint (model, optimizer, step, RNG)");
  train->add_option("--grow-from", t.grow_from,
                    "Start a new run from this checkpoint widened to the given widths "
                    "(function-preserving: it first computes what the checkpoint computes)");
  train->add_option("--cell", cell, "Recurrent cell: gru or lstm")->check(CLI::IsMember({"gru", "lstm"}));
  train->add_option("--enc-conv", t.arch.enc_conv, "Width of the first encoder conv");
  train->add_option("--enc-cells", enc_cells, "Hidden widths of the 3 encoder cells")->expected(3);
  train->add_option("--dec-conv", t.arch.dec_conv, "Width of the first decoder conv");
  train->add_option("--dec-cells", dec_cells, "Hidden widths of the 4 decoder cells")->expected(4);
  train->add_option("--code-channels", t.arch.code_channels, "Bits per 16x16 block per iteration");
  train->add_option("--iterations", t.arch.iterations, "Maximum coding iterations of the model");
  train->add_option("--priming", t.arch.priming, "Extra decoder steps on the first code");
  train->add_flag("--one-shot", t.arch.one_shot,
                  "One-shot reconstruction: the decoder predicts the whole image every iteration "
                  "(default: additive)");
  train->add_option("--train-iterations", t.train_iterations, "Iterations unrolled per training step");
  train
      ->add_option("--curriculum", t.curriculum,
                   "Share of the schedule over which the unrolled iterations grow from 2 to "
                   "--train-iterations (0: all from the start)")
      ->check(CLI::Range(0.0, 1.0));
  train->add_option("--batch", t.batch, "Crops per step");
  train->add_option("--crop", t.crop, "Crop side in pixels (multiple of 16)");
  train->add_option("--steps", t.steps, "Length of the learning-rate and binarization schedule");
  train->add_option("--max-minutes", t.max_minutes, "Stop with a checkpoint after this long (0: no limit)");
  train->add_option("--stop-at-step", t.stop_at_step,
                    "Stop with a checkpoint at this step (0: run the schedule)");
  train->add_option("--lr", t.lr, "Peak Adam learning rate");
  train->add_option("--binarize-at", t.binarize_at, "Fraction of steps with float weights");
  train->add_flag("--alq", t.alq, "Binarize every layer with ALQ bases (default: QuantNet, 1 bit)");
  train->add_option("--bases", t.bases, "ALQ: binary bases per layer when binarization starts")
      ->check(CLI::Range(1, 8));
  train->add_option("--target-bits", t.target_bits,
                    "ALQ: prune bases to this average bits per weight (first/last layers kept)");
  train
      ->add_option("--layer-bases", t.layer_bases,
                   "ALQ: LAYER=K pins a layer to K bases, never pruned (e.g. dec.cell3.hidden=4; "
                   "layer names as in `qcodec-train report`); repeatable")
      ->delimiter(',');
  train
      ->add_option("--progressive", t.progressive,
                   "Share of the binary phase over which quantized filters grow from none to all")
      ->check(CLI::Range(0.0, 1.0));
  train->add_option("--distill", t.distill, "Weight of the L1 distance to the frozen float teacher");
  train->add_flag("--relative-distillation", t.relative_distillation,
                  "Weight each iteration's distance to the teacher by 1 / the teacher's own error "
                  "there (late iterations, whose errors are small, count as much as early ones)");
  train->add_option("--beta-max", t.beta_max, "Final QuantNet annealing temperature");
  train->add_option("--regulariser", t.regulariser, "Weight of the +-1 regulariser");
  train->add_option("--edge-bases", t.edge_bases, "Binary bases of the first and last layers");
  train->add_option("--mask-probability", t.mask_probability, "Share of tiles with random stopping");
  train
      ->add_option("--allocation-masks", t.allocation_masks,
                   "Share of crops whose stopping masks look like an allocation: one count for the "
                   "crop, some tiles one or two iterations deeper")
      ->check(CLI::Range(0.0, 1.0));
  train->add_flag("!--plain-l1", t.ssim_weighted, "Plain L1 instead of SSIM-weighted L1");
  train->add_flag("--relative-iterations", t.relative_iterations,
                  "Weight each iteration's loss by 1 / its size (late iterations keep learning)");
  train->add_flag("--residual-gains", t.residual_gains,
                  "Give a network without residual gains ones measured on training crops "
                  "(each iteration's residual scaled to the image's size)");
  train->add_flag("--freeze-stopped", t.freeze_stopped,
                  "Tiles that code no bits in an iteration keep their state and pixels, so the "
                  "runtime can skip them (also on --resume: fine-tunes a network to it)");
  train
      ->add_option("--freeze-grace", t.freeze_grace,
                   "With --freeze-stopped: a tile keeps refining for this many iterations after its "
                   "last bits before it freezes (default: a resumed network's, else 0)")
      ->check(CLI::Range(0, 63));
  train->add_option("--extend-iterations", t.extend_iterations,
                    "With --resume: raise the network's maximum iteration count to this (new "
                    "iterations repeat the last residual gain)");
  train->add_option("--validate-every", t.validate_every, "Steps between validations");
  train->add_option("--checkpoint-minutes", t.checkpoint_minutes, "Minutes between checkpoints");
  train->add_option("--threads", t.threads, "CPU threads for LibTorch");
  train->add_option("--device", t.device, "cpu or cuda");
  train
      ->add_option("--precision", t.precision,
                   "Convolutions in bf16 (mixed precision: weights, optimizer, recurrent state "
                   "and loss stay fp32) or fp32; auto: bf16 on CUDA and on CPUs with "
                   "AVX512_BF16 or AMX-BF16")
      ->check(CLI::IsMember({"auto", "fp32", "bf16"}))
      ->capture_default_str();
  train->add_option("--seed", t.seed, "Random seed");

  qc::ExportOptions e;
  CLI::App* exp = app.add_subcommand("export", "Write the binary .qcm runtime model from a checkpoint");
  exp->add_option("--checkpoint", e.checkpoint, "checkpoint.pt of a run")->required();
  exp->add_option("--calibration", e.calibration_dir,
                  "The training images: activation calibration and a validation report")
      ->required();
  exp->add_option("-o,--output", e.output, "Output .qcm file")->required();
  exp->add_option("--crops", e.calibration_crops, "Calibration crops");
  exp->add_option("--bases", e.bases, "At least this many binary bases (ALQ) in every layer");
  exp->add_option("--freeze-grace", e.freeze_grace,
                  "Write the model to freeze a stopped tile this many iterations after its last bits, "
                  "so the runtime skips its work (default: as the checkpoint was trained)")
      ->check(CLI::Range(0, 63));
  exp->add_flag("-f,--force", e.overwrite, "Overwrite the output file");

  qc::PrecisionOptions r;
  CLI::App* report = app.add_subcommand(
      "report",
      "MS-SSIM and PSNR at uniform iterations (raw rate) of float weights, binary weights and the runtime");
  report->add_option("--checkpoint", r.checkpoint, "checkpoint.pt of a run")->required();
  report->add_option("--model", r.model, "The .qcm exported from that checkpoint")->required();
  report->add_option("--float-checkpoint", r.float_checkpoint,
                     "Checkpoint for the float row (default: --checkpoint with float weights)");
  report->add_option("--images", r.images_dir, "Evaluation images (PNG/JPEG), e.g. Kodak")->required();
  report->add_option("--iterations", r.iterations, "Iteration counts (0.125 bpp raw each)")->delimiter(',');
  report
      ->add_option("--per-layer-bases", r.per_layer_bases,
                   "Also one row per layer and count k: the float network with that layer alone "
                   "binarized with k ALQ bases (which layers' binarization costs most)")
      ->delimiter(',');
  report->add_option("--threads", r.threads, "CPU threads");

  std::string compact_in, compact_out;
  bool compact_overwrite = false;
  CLI::App* compact =
      app.add_subcommand("compact",
                         "Write a checkpoint in the form committed to the repository (fp32 weights, Adam's "
                         "second moment in bf16, no momentum: 6 instead of 12 bytes per parameter; a "
                         "resume from it restarts the momentum)");
  compact->add_option("--checkpoint", compact_in, "checkpoint.pt of a run")->required();
  compact->add_option("-o,--output", compact_out, "The compact checkpoint")->required();
  compact->add_flag("-f,--force", compact_overwrite, "Overwrite the output file");

  CLI11_PARSE(app, argc, argv);
  try {
    if (train->parsed()) {
      t.arch.cell = cell == "gru" ? qc::CellType::kGru : qc::CellType::kLstm;
      std::copy(enc_cells.begin(), enc_cells.end(), t.arch.enc_cells);
      std::copy(dec_cells.begin(), dec_cells.end(), t.arch.dec_cells);
      qc::train(t);
    } else if (exp->parsed()) {
      qc::export_model(e);
    } else if (compact->parsed()) {
      qc::compact_checkpoint(compact_in, compact_out, compact_overwrite);
    } else {
      std::vector<qc::PrecisionRow> rows = qc::precision_report(r);
      std::printf("| weights / activations |");
      for (int i : r.iterations) std::printf(" %g bpp (%d it.) |", 0.125 * i, i);
      std::printf("\n|---|");
      for (size_t k = 0; k < r.iterations.size(); ++k) std::printf("---|");
      std::printf("\n");
      for (const auto& row : rows) {
        std::printf("| %s |", row.name.c_str());
        for (size_t k = 0; k < row.msssim.size(); ++k)
          std::printf(" %.4f, %.2f dB |", row.msssim[k], row.psnr[k]);
        std::printf("\n");
      }
    }
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "qcodec-train: %s\n", ex.what());
    return 1;
  }
  return 0;
}
