# qc_embed_model(TARGET FILE): compiles FILE's bytes into TARGET, behind
# qc::default_model_bytes() (nn/default_model.h). The generated source is
# rebuilt when FILE changes. A FILE missing at configure time embeds nothing
# (size 0, with a warning); reconfigure once it exists.
function(qc_embed_model target file)
  set(QC_EMBED_SCRIPT ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embed_file.cmake)
  get_filename_component(file ${file} ABSOLUTE)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded_model.cc)
  if(EXISTS ${file})
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -P ${QC_EMBED_SCRIPT}
      DEPENDS ${file} ${QC_EMBED_SCRIPT}
      COMMENT "Embedding ${file}")
  else()
    message(WARNING "qc_embed_model: ${file} does not exist; ${target} embeds no model")
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -DOUT=${out} -P ${QC_EMBED_SCRIPT}
      DEPENDS ${QC_EMBED_SCRIPT})
  endif()
  target_sources(${target} PRIVATE ${out})
endfunction()
