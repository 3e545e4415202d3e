# cmake -DAR=ar -DOUT=lib.a "-DPARTS=a.a|b.a" -P merge_archives.cmake: adds
# the objects of every PARTS archive to OUT (ar's MRI script mode).
string(REPLACE "|" ";" parts "${PARTS}")
set(script "open ${OUT}\n")
foreach(part ${parts})
  string(APPEND script "addlib ${part}\n")
endforeach()
string(APPEND script "save\nend\n")
file(WRITE ${OUT}.mri "${script}")
execute_process(COMMAND ${AR} -M INPUT_FILE ${OUT}.mri RESULT_VARIABLE rc ERROR_VARIABLE err)
file(REMOVE ${OUT}.mri)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "merging archives into ${OUT} failed: ${err}")
endif()
