# viva_module(NAME): a static library from every .c file in the calling directory, with the
# directory as its public include path and our warning flags. Each src/<area>/CMakeLists.txt
# adds its own link dependencies to the target afterwards.
function(viva_module name)
    file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.c)
    list(REMOVE_ITEM sources ${CMAKE_CURRENT_SOURCE_DIR}/main.c)
    if(NOT sources)
        message(FATAL_ERROR "${CMAKE_CURRENT_SOURCE_DIR}: module ${name} has no .c files")
    endif()
    add_library(${name} STATIC ${sources})
    target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
    target_link_libraries(${name} PRIVATE viva_flags)
endfunction()
